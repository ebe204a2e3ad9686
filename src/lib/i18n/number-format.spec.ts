import { describe, expect, it } from 'vitest';
import { formatNumber } from './number-format';

// Our own number formatting must write what Intl writes on a full-ICU runtime
// (Node here) for the app's three languages; the browser is spared Intl's start-up.
const LOCALES = { en: 'en-GB', vi: 'vi-VN', km: 'km-KH' } as const;
const VALUES = [0, 1, 7, 12, 999, 1000, 1234, 12_345, 123_456, 1_234_567, 98_765_432_1, 0.5, 1.25, 2.675];
const MORE = [3.14159, 0.0004, 0.0005, 999.9995, 1536 / 1024, 25.049, -1, -1234.5, -0.25, 10_000_000.06];

describe('formatNumber', () => {
	for (const [language, intl] of Object.entries(LOCALES)) {
		it(`writes what Intl writes for ${intl}`, () => {
			for (const value of [...VALUES, ...MORE])
				for (const digits of [0, 1, 2, 3, 4]) {
					const expected = new Intl.NumberFormat(intl, { maximumFractionDigits: digits }).format(value);
					expect(formatNumber(value, language, { maximumFractionDigits: digits }), `${value} ${digits}`).toBe(
						expected
					);
				}
			for (const value of [...VALUES, ...MORE])
				expect(formatNumber(value, language), String(value)).toBe(new Intl.NumberFormat(intl).format(value));
		});

		it(`reads decimal strings exactly and keeps the decimals asked for, as Intl does for ${intl}`, () => {
			for (const text of [
				'0',
				'12.5',
				'1500000',
				'1234567.891',
				'0.00005',
				'99999999999999999.99',
				'-42.125'
			])
				for (const [least, most] of [
					[0, 0],
					[2, 2],
					[0, 4]
				]) {
					const options = { minimumFractionDigits: least, maximumFractionDigits: most };
					const expected = new Intl.NumberFormat(intl, options).format(text as unknown as number);
					expect(formatNumber(text, language, options), `${text} ${least}-${most}`).toBe(expected);
				}
		});
	}

	it('leaves what is not a number as it is', () => {
		expect(formatNumber(Number.NaN, 'en')).toBe('NaN');
		expect(formatNumber('12 kg', 'en')).toBe('12 kg');
	});
});
