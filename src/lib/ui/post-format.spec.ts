import { describe, expect, it } from 'vitest';
import { parseInline, parsePost } from './post-format';

describe('parsePost', () => {
	it('keeps markup as text: nothing typed becomes HTML', () => {
		const blocks = parsePost('<img src=x onerror=alert(1)> <b>hi</b>');
		expect(blocks).toEqual([
			{ type: 'paragraph', lines: [[{ type: 'text', text: '<img src=x onerror=alert(1)> <b>hi</b>' }]] }
		]);
	});

	it('finds bold, links (without trailing punctuation) and mentions', () => {
		expect(
			parseInline('Xem **quan trọng** tại https://example.org/a?b=1. Cảm ơn @Lê Thị Mai!', [
				'Lê Thị Mai',
				'Lê'
			])
		).toEqual([
			{ type: 'text', text: 'Xem ' },
			{ type: 'bold', text: 'quan trọng' },
			{ type: 'text', text: ' tại ' },
			{ type: 'link', href: 'https://example.org/a?b=1', text: 'https://example.org/a?b=1' },
			{ type: 'text', text: '. Cảm ơn ' },
			{ type: 'mention', text: '@Lê Thị Mai' },
			{ type: 'text', text: '!' }
		]);
	});

	it('never links javascript: or other schemes', () => {
		expect(parseInline('javascript:alert(1)')).toEqual([{ type: 'text', text: 'javascript:alert(1)' }]);
	});

	it('splits paragraphs and bulleted and numbered lists', () => {
		const blocks = parsePost('Agenda:\n- one\n- two\n\n1. first\n2. second\nafter');
		expect(blocks.map((b) => b.type)).toEqual(['paragraph', 'list', 'list', 'paragraph']);
		expect(blocks[1]).toMatchObject({ ordered: false, items: [[{ text: 'one' }], [{ text: 'two' }]] });
		expect(blocks[2]).toMatchObject({ ordered: true, items: [[{ text: 'first' }], [{ text: 'second' }]] });
	});

	it('handles Khmer text without spaces', () => {
		expect(parsePost('សូមស្វាគមន៍!')).toEqual([
			{ type: 'paragraph', lines: [[{ type: 'text', text: 'សូមស្វាគមន៍!' }]] }
		]);
	});
});
