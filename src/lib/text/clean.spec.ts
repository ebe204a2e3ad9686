import { describe, expect, it } from 'vitest';
import { cleanText, hasVisibleText, stripBidiControls } from './clean';

describe('cleanText', () => {
	it('removes the right-to-left override that disguises a file name', () => {
		expect(stripBidiControls('Biên bản \u202Efdp.exe')).toBe('Biên bản fdp.exe');
		for (const control of [
			'\u202A',
			'\u202B',
			'\u202C',
			'\u202D',
			'\u2066',
			'\u2067',
			'\u2068',
			'\u2069',
			'\u200E',
			'\u200F',
			'\u061C'
		]) {
			expect(stripBidiControls(`a${control}b`)).toBe('ab');
		}
	});

	it('counts text made only of invisible characters as empty', () => {
		for (const blank of ['\u200B\u200B', '\u200C\u200D\uFEFF', ' \u3000\t\n', '\u2060\u00AD', '\u202E']) {
			expect(cleanText(blank).visible).toBe(false);
		}
	});

	it('keeps Khmer word separators and joiners, Vietnamese tones and emoji', () => {
		const khmer = 'សហគមន៍\u200Bអ្នកអនុវត្ត\u200Cន៍';
		expect(cleanText(khmer)).toEqual({ text: khmer, visible: true });
		expect(cleanText('  Bảo hiểm xã hội 👍 ').text).toBe('Bảo hiểm xã hội 👍');
		expect(hasVisibleText('\u200B.')).toBe(true);
	});
});
