import { describe, expect, it } from 'vitest';
import { encode } from 'uqr';
import { spellInviteCode } from './invite-code';
import { inviteMessage } from './share';
import { qrSvg } from './qr.server';

describe('the message an invite is shared with', () => {
	it('spells the code out for reading aloud, in its two groups', () => {
		expect(spellInviteCode('KHAQUANG')).toBe('K-H-A-Q U-A-N-G');
		expect(spellInviteCode('AB23CD45')).toBe('A-B-2-3 C-D-4-5');
	});

	it('is written in the space’s language, whatever the sender reads the app in', () => {
		const vi = inviteMessage({
			origin: 'https://sahakum.example',
			code: 'KHAQUANG',
			lang: 'vi',
			kind: 'space',
			name: 'CLB Phụ nữ Khai Quang'
		});
		expect(vi.title).toBe('Lời mời tham gia CLB Phụ nữ Khai Quang trên Sahakum');
		expect(vi.link).toBe('https://sahakum.example/join?code=KHAQUANG');
		expect(vi.text.split('\n')).toEqual([
			'Lời mời tham gia CLB Phụ nữ Khai Quang trên Sahakum',
			'Mở đường liên kết này để tham gia: https://sahakum.example/join?code=KHAQUANG',
			'Hoặc mở Sahakum, chọn “Tham gia bằng mã” và nhập mã: K-H-A-Q U-A-N-G'
		]);
		const km = inviteMessage({
			origin: 'https://sahakum.example',
			code: 'ABCD2345',
			lang: 'km',
			kind: 'dialogue',
			title: 'កិច្ចសន្ទនា',
			space: 'CoP-Women'
		});
		expect(km.link).toBe('https://sahakum.example/dialogues/join?code=ABCD2345');
		expect(km.text).toContain('ចូលរួមដោយលេខកូដ');
		expect(km.text).toContain('A-B-C-D 2-3-4-5');
		expect(km.text).toContain(km.link);
		expect(km.lang).toBe('km');
	});
});

describe('the QR code of an invite link', () => {
	it('draws exactly the modules of the encoded link, as a small SVG', () => {
		const link = 'https://sahakum.example/dialogues/join?code=ABCD2345';
		const svg = qrSvg(link);
		const { data, size } = encode(link, { ecc: 'M', border: 4 });
		expect(svg).toMatch(new RegExp(`^<svg [^>]*viewBox="0 0 ${size} ${size}"`));
		// Paint the path's runs back onto a grid: the same modules, no more, no fewer.
		const painted = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
		for (const [, x, y, run] of svg.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
			for (let i = 0; i < Number(run); i++) painted[Number(y)][Number(x) + i] = true;
		}
		expect(painted).toEqual(data.map((row) => row.map(Boolean)));
		expect(svg.length).toBeLessThan(6000);
	});
});
