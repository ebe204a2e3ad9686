// Budget arithmetic in exact decimals: amounts are bigint counts of 1/10,000
// (four decimal places), never floats. Input is read in the page's language
// (1.500.000 in Vietnamese, 1,500,000 in English and Khmer) and kept in a
// canonical form ("1500000", "1.5") in the document; formatting goes through
// Intl with each currency's usual decimals.
import { asciiDigits } from '$lib/text/digits';
import { formatNumber } from '$lib/i18n/number-format';
import type { BudgetLine, BudgetProjection, Currency } from './types';

const SCALE = 10_000n;
const CANONICAL = /^(\d{1,15})(?:\.(\d{1,4}))?$/;

/** Decimals shown per currency: dong and riel have no cents in practice. */
export const CURRENCY_DECIMALS: Record<Currency, number> = { VND: 0, KHR: 0, USD: 2 };

/** A canonical decimal ("1500000", "1.5") as 1/10,000 units; null when it is not one. */
export function parseCanonical(value: string): bigint | null {
	const match = CANONICAL.exec(value.trim());
	if (!match) return null;
	const fraction = (match[2] ?? '').padEnd(4, '0');
	return BigInt(match[1]) * SCALE + BigInt(fraction);
}

/**
 * What a person typed, read with the page's separators, as a canonical
 * decimal; null when it is not a non-negative number. "vi" uses "." for
 * thousands and "," for decimals; "en" and "km" the other way round. Khmer
 * and other scripts' digits count as digits; spaces of any width (and ')
 * separate thousands.
 */
export function normaliseAmount(typed: string, locale: string): string | null {
	let text = asciiDigits(typed)
		.replace(/[\s\u00a0\u2007\u2009\u202f']/g, '')
		.replace(/[₫៛$]|VND|KHR|USD|đ/gi, '');
	if (!text) return null;
	const [thousands, decimal] = locale.startsWith('vi') ? ['.', ','] : [',', '.'];
	// A lone separator followed by 1–2 digits is a decimal point whatever the page's language.
	const parts = text.split(thousands);
	if (parts.length > 1 && parts.slice(1).every((p) => /^\d{3}(?:[.,]\d+)?$/.test(p))) text = parts.join('');
	text = text.replace(decimal, '.').replace(',', '.');
	const value = parseCanonical(text);
	return value === null ? null : toCanonical(value);
}

function toCanonical(value: bigint): string {
	const whole = value / SCALE;
	const fraction = (value % SCALE).toString().padStart(4, '0').replace(/0+$/, '');
	return fraction ? `${whole}.${fraction}` : `${whole}`;
}

/** quantity × unit cost, rounded half up to 1/10,000; null when either is not a number. */
export function lineTotal(line: Pick<BudgetLine, 'quantity' | 'unit_cost'>): bigint | null {
	const quantity = parseCanonical(line.quantity);
	const cost = parseCanonical(line.unit_cost);
	if (quantity === null || cost === null) return null;
	return (quantity * cost + SCALE / 2n) / SCALE;
}

export type BudgetTotals = {
	lines: Map<string, bigint | null>;
	groups: Map<string, bigint>;
	total: bigint;
	/** Lines with a quantity or cost that is not a number (left out of the totals). */
	invalid: number;
};

export function budgetTotals(budget: BudgetProjection): BudgetTotals {
	const lines = new Map<string, bigint | null>();
	const groups = new Map<string, bigint>();
	let total = 0n;
	let invalid = 0;
	for (const group of budget.groups) {
		let sum = 0n;
		for (const line of group.lines) {
			const amount = lineTotal(line);
			lines.set(line.id, amount);
			if (amount === null) {
				if (line.quantity || line.unit_cost) invalid++;
			} else sum += amount;
		}
		groups.set(group.id, sum);
		total += sum;
	}
	return { lines, groups, total, invalid };
}

/** A decimal string of `value` rounded half up to `decimals` places. */
export function roundedString(value: bigint, decimals: number): string {
	const step = 10n ** BigInt(4 - decimals);
	const rounded = (value + step / 2n) / step;
	if (decimals === 0) return rounded.toString();
	const text = rounded.toString().padStart(decimals + 1, '0');
	return `${text.slice(0, -decimals)}.${text.slice(-decimals)}`;
}

// How each language writes an amount with its currency (what Intl's currency
// style writes for en-GB, vi-VN and km-KH; money.spec.ts compares the two).
const SYMBOLS: Record<string, Record<Currency, string>> = {
	en: { USD: 'US$', VND: '₫', KHR: 'KHR\u00a0' },
	vi: { USD: '\u00a0US$', VND: '\u00a0₫', KHR: '\u00a0KHR' },
	km: { USD: '$', VND: '₫', KHR: '៛' }
};
const SYMBOL_FIRST: Record<string, boolean> = { en: true, vi: false, km: false };

/** An amount in the page's language, e.g. "1.500.000 ₫", "US$12.50", "1,500,000៛". */
export function formatMoney(value: bigint, currency: Currency, locale: string): string {
	const language = locale.slice(0, 2) in SYMBOLS ? locale.slice(0, 2) : 'en';
	const decimals = CURRENCY_DECIMALS[currency];
	const text = roundedString(value < 0n ? -value : value, decimals);
	const number = formatNumber(text, language, {
		minimumFractionDigits: decimals,
		maximumFractionDigits: decimals
	});
	const symbol = SYMBOLS[language][currency];
	const negative = value < 0n && /[1-9]/.test(text);
	return `${negative ? '-' : ''}${SYMBOL_FIRST[language] ? symbol + number : number + symbol}`;
}

/** A quantity or unit cost as typed into the document, in the page's language. */
export function formatAmount(canonical: string, locale: string): string {
	const value = parseCanonical(canonical);
	if (value === null) return canonical;
	return formatNumber(toCanonical(value), locale, { maximumFractionDigits: 4 });
}
