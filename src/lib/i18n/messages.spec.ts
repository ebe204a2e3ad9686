import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** A simple message is a string; one with variants (plurals) is [{ declarations, selectors, match }]. */
type Variants = [{ declarations: string[]; match: Record<string, string> }];
type Message = string | Variants;

const load = (locale: string) =>
	JSON.parse(readFileSync(`messages/${locale}.json`, 'utf8')) as Record<string, Message>;

/** The values a message takes: {name} in a simple one, its `input` declarations in one with variants. */
const inputs = (message: Message) =>
	typeof message === 'string'
		? [...new Set([...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort()
		: message[0].declarations
				.filter((d) => d.startsWith('input '))
				.map((d) => d.slice(6).trim())
				.sort();

describe('message catalogs', () => {
	const en = load('en');
	for (const locale of ['vi', 'km']) {
		it(`${locale} has exactly the English keys, each translated, with the same placeholders`, () => {
			const other = load(locale);
			expect(Object.keys(other).sort()).toEqual(Object.keys(en).sort());
			for (const [key, message] of Object.entries(en)) {
				if (key === '$schema') continue;
				expect(other[key], key).toBeTruthy();
				expect(inputs(other[key]), key).toEqual(inputs(message));
			}
		});
	}

	it('variants in English cover one and other, and never show a raw placeholder name', () => {
		for (const [key, message] of Object.entries(en)) {
			if (typeof message === 'string') continue;
			expect(Object.keys(message[0].match).sort(), key).toEqual(
				expect.arrayContaining([expect.stringMatching(/=one$/), expect.stringMatching(/=other$/)])
			);
		}
	});
});
