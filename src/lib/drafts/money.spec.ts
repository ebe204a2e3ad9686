import { describe, expect, it } from 'vitest';
import {
	budgetTotals,
	formatMoney,
	lineTotal,
	normaliseAmount,
	parseCanonical,
	roundedString
} from './money';

describe('budget money', () => {
	it('reads amounts in each language’s separators, refuses negatives and words', () => {
		expect(normaliseAmount('1.500.000', 'vi')).toBe('1500000');
		expect(normaliseAmount('1,5', 'vi')).toBe('1.5');
		expect(normaliseAmount('1,500,000', 'en')).toBe('1500000');
		expect(normaliseAmount('12.50', 'km')).toBe('12.5');
		expect(normaliseAmount('150 000 ₫', 'vi')).toBe('150000');
		expect(normaliseAmount('-3', 'en')).toBeNull();
		expect(normaliseAmount('ba', 'vi')).toBeNull();
		expect(normaliseAmount('', 'vi')).toBeNull();
	});

	it('reads Khmer digits, spaced and thin-spaced thousands and the decimal comma', () => {
		expect(normaliseAmount('៥០០ ០០០', 'km')).toBe('500000');
		expect(normaliseAmount('២', 'km')).toBe('2');
		expect(normaliseAmount('១,៥០០,០០០៛', 'km')).toBe('1500000');
		expect(normaliseAmount('1\u2009500\u2009000', 'en')).toBe('1500000');
		expect(normaliseAmount('1\u202f500,25', 'vi')).toBe('1500.25');
		expect(normaliseAmount('2,5', 'vi')).toBe('2.5');
	});

	it('multiplies and adds exactly, where floats would not', () => {
		expect(lineTotal({ quantity: '3', unit_cost: '0.1' })).toBe(3000n);
		expect(roundedString(lineTotal({ quantity: '0.1', unit_cost: '0.2' })!, 2)).toBe('0.02');
		const big = lineTotal({ quantity: '999999', unit_cost: '999999999.99' })!;
		expect(roundedString(big, 2)).toBe('999998999990000.01');
		expect(parseCanonical('1.23456')).toBeNull();
		const totals = budgetTotals({
			currency: 'VND',
			groups: [
				{
					id: 'g',
					name: 'Hội thảo',
					lines: [
						{ id: 'a', category: '', description: '', quantity: '2', unit: '', unit_cost: '150000' },
						{ id: 'b', category: '', description: '', quantity: 'x', unit: '', unit_cost: '1' }
					]
				}
			]
		});
		expect(totals.total).toBe(3_000_000_000n);
		expect(totals.invalid).toBe(1);
	});

	it('formats per language and currency', () => {
		expect(formatMoney(15_000_000_000n, 'VND', 'vi')).toMatch(/^1\.500\.000\s₫$/);
		expect(formatMoney(125_000n, 'USD', 'en')).toBe('US$12.50');
		expect(formatMoney(40_000_000n, 'KHR', 'km')).toMatch(/4,000/);
	});

	it('writes what Intl’s currency style writes for en-GB, vi-VN and km-KH (our own code, no Intl on the phone)', () => {
		const locales = { en: 'en-GB', vi: 'vi-VN', km: 'km-KH' } as const;
		// The exact decimal of an amount kept in 1/10,000 units; Intl rounds it half away from zero.
		const exact = (value: bigint) => {
			const size = value < 0n ? -value : value;
			return `${value < 0n ? '-' : ''}${size / 10_000n}.${String(size % 10_000n).padStart(4, '0')}`;
		};
		const values = [
			0n,
			1n,
			4_999n,
			5_000n,
			125_000n,
			15_000_000_000n,
			12_345_678_901_234n,
			-125_050n,
			-15_000_000_000n
		];
		for (const [language, intl] of Object.entries(locales))
			for (const currency of ['VND', 'KHR', 'USD'] as const)
				for (const value of values) {
					const decimals = currency === 'USD' ? 2 : 0;
					const expected = new Intl.NumberFormat(intl, {
						style: 'currency',
						currency,
						minimumFractionDigits: decimals,
						maximumFractionDigits: decimals
					}).format(exact(value) as unknown as number);
					expect(formatMoney(value, currency, language), `${value} ${currency} ${intl}`).toBe(expected);
				}
	});
});
