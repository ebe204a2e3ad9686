import { describe, expect, it } from 'vitest';
import { contentMatchesType, readHead } from './sniff';

const bytes = (...parts: (string | number[])[]) =>
	new Uint8Array(
		parts.flatMap((part) => (typeof part === 'string' ? [...part].map((c) => c.charCodeAt(0)) : part))
	);

describe('contentMatchesType', () => {
	it('accepts files whose first bytes match their type', () => {
		expect(contentMatchesType(bytes('%PDF-1.7\n'), 'application/pdf')).toBe(true);
		expect(contentMatchesType(bytes([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg')).toBe(true);
		expect(contentMatchesType(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a]), 'image/png')).toBe(true);
		expect(contentMatchesType(bytes('RIFF', [1, 2, 3, 4], 'WAVEfmt '), 'audio/wav')).toBe(true);
		expect(contentMatchesType(bytes([0, 0, 0, 0x20], 'ftypisom'), 'video/mp4')).toBe(true);
		expect(contentMatchesType(bytes('ID3', [4, 0]), 'audio/mpeg')).toBe(true);
		expect(
			contentMatchesType(
				bytes('PK', [3, 4]),
				'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
			)
		).toBe(true);
		expect(contentMatchesType(new TextEncoder().encode('Họ tên,Số điện thoại\r\n'), 'text/csv')).toBe(true);
		expect(contentMatchesType(new TextEncoder().encode('សហគមន៍\n'), 'text/plain; charset=utf-8')).toBe(true);
	});

	it('refuses a program named like a document, and content of another type', () => {
		const exe = bytes('MZ', [0x90, 0, 3, 0]);
		expect(contentMatchesType(exe, 'application/pdf')).toBe(false);
		expect(contentMatchesType(exe, 'text/plain')).toBe(false);
		expect(contentMatchesType(bytes([0x7f], 'ELF'), 'audio/mpeg')).toBe(false);
		expect(contentMatchesType(bytes('%PDF-1.4'), 'image/jpeg')).toBe(false);
		expect(contentMatchesType(bytes('<html><script>'), 'application/pdf')).toBe(false);
		expect(contentMatchesType(bytes('abc', [0], 'def'), 'text/plain')).toBe(false);
		expect(contentMatchesType(bytes('%PDF-'), 'application/x-msdownload')).toBe(false);
		expect(contentMatchesType(new Uint8Array(), 'application/pdf')).toBe(false);
	});

	it('reads only the head of a stream', async () => {
		let pulled = 0;
		const stream = new ReadableStream<Uint8Array>({
			pull(controller) {
				pulled++;
				controller.enqueue(new Uint8Array(300).fill(65));
			}
		});
		const head = await readHead(stream, 512);
		expect(head.length).toBe(512);
		expect(pulled).toBeLessThanOrEqual(3);
	});
});
