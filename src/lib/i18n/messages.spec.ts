import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** A simple message is a string; one with variants (plurals) is [{ declarations, selectors, match }]. */
type Variants = [{ declarations: string[]; selectors: string[]; match: Record<string, string> }];
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
	const vi = load('vi');
	const km = load('km');
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

	// English counts are matched on the number itself (1, and every other), not
	// through Intl.PluralRules: the first Intl object a page builds costs a slow
	// phone 130–310 ms of its start-up, and no language here needs more than this.
	it('variants in English cover exactly 1 and every other count, with no Intl plural rules', () => {
		for (const [key, message] of Object.entries(en)) {
			if (typeof message === 'string') continue;
			const variant = message[0];
			expect(variant.declarations.join(' '), key).not.toMatch(/: plural/);
			expect(Object.keys(variant.match).sort(), key).toEqual([
				`${variant.selectors[0]}=*`,
				`${variant.selectors[0]}=1`
			]);
		}
		for (const messages of [vi, km])
			for (const [key, message] of Object.entries(messages))
				if (typeof message !== 'string')
					expect(message[0].declarations.join(' '), key).not.toMatch(/: plural/);
	});
});
