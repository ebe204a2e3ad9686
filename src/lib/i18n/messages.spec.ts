import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const load = (locale: string) =>
	JSON.parse(readFileSync(`messages/${locale}.json`, 'utf8')) as Record<string, string>;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogs', () => {
	const en = load('en');
	for (const locale of ['vi', 'km']) {
		it(`${locale} has exactly the English keys, each translated, with the same placeholders`, () => {
			const other = load(locale);
			expect(Object.keys(other).sort()).toEqual(Object.keys(en).sort());
			for (const [key, text] of Object.entries(en)) {
				if (key === '$schema') continue;
				expect(other[key], key).toBeTruthy();
				expect(placeholders(other[key]), key).toEqual(placeholders(text));
			}
		});
	}
});
