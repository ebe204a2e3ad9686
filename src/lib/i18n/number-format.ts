// Numbers in the page's language, written by our own code, not by Intl: the
// first Intl object a page builds loads the browser's locale data, 130–310 ms
// of a 6×-slowed phone's main thread (scratch measurement in Chromium), paid
// while the page hydrates. The marks are what Intl writes for en-GB, vi-VN
// and km-KH (number-format.spec.ts compares the two on Node's full ICU).

/** The digit-group and decimal marks of each language (any other: English's). */
const MARKS: Record<string, { group: string; decimal: string }> = {
	en: { group: ',', decimal: '.' },
	vi: { group: '.', decimal: ',' },
	km: { group: ',', decimal: '.' }
};

export const marksOf = (locale: string) => MARKS[locale.slice(0, 2)] ?? MARKS.en;

export type DigitOptions = { minimumFractionDigits?: number; maximumFractionDigits?: number };

/**
 * `value` (a number, or a decimal string read exactly) rounded half away from
 * zero to at most `maximumFractionDigits` (Intl's default, 3) and at least
 * `minimumFractionDigits` decimals, with the language's marks: "1,234.5",
 * "1.234,5".
 */
export function formatNumber(value: number | string, locale: string, options: DigitOptions = {}): string {
	const most = options.maximumFractionDigits ?? Math.max(3, options.minimumFractionDigits ?? 0);
	const least = Math.min(options.minimumFractionDigits ?? 0, most);
	const text = typeof value === 'number' ? plainDecimal(value, most) : value.trim();
	const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
	if (!match) return text; // NaN, Infinity: as they are
	const [, sign, whole, fraction = ''] = match;
	let digits = BigInt((whole || '0') + fraction.slice(0, most).padEnd(most, '0'));
	if ((fraction[most] ?? '0') >= '5') digits += 1n;
	const padded = digits.toString().padStart(most + 1, '0');
	const integer = padded.slice(0, padded.length - most);
	let decimals = padded.slice(padded.length - most);
	while (decimals.length > least && decimals.endsWith('0')) decimals = decimals.slice(0, -1);
	const { group, decimal } = marksOf(locale);
	const grouped = integer.replace(/\B(?=(\d{3})+$)/g, group);
	return `${sign}${grouped}${decimals ? decimal + decimals : ''}`;
}

/** A number as a plain decimal string (never "1e21"), with enough digits to round from. */
function plainDecimal(value: number, most: number): string {
	if (!Number.isFinite(value)) return String(value);
	const text = String(value);
	return /e/i.test(text) ? value.toFixed(Math.min(100, most + 1)) : text;
}
