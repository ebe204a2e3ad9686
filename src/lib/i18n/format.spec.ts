import { describe, expect, it } from 'vitest';
import {
	formatBytes,
	formatDate,
	formatDateTime,
	formatDay,
	formatMeeting,
	formatMonth,
	formatMonthShort,
	formatRelative
} from './format';

describe('formatRelative', () => {
	const now = Date.parse('2026-11-22T12:00:00Z');
	it('counts minutes, hours and days, then shows the date', () => {
		expect(formatRelative('2026-11-22T11:59:40Z', now)).toBe('just now');
		expect(formatRelative('2026-11-22T11:45:00Z', now)).toBe('15 min ago');
		expect(formatRelative('2026-11-22T09:00:00Z', now)).toBe('3 h ago');
		expect(formatRelative('2026-11-21T09:00:00Z', now)).toBe('yesterday');
		expect(formatRelative('2026-11-18T12:00:00Z', now)).toBe('4 days ago');
		expect(formatRelative('2026-10-01T12:00:00Z', now)).toMatch(/2026/);
	});
});

describe('formatBytes', () => {
	it('says bytes, kilobytes and megabytes the way people read them', () => {
		expect(formatBytes(300, 'en')).toBe('300 B');
		expect(formatBytes(2048, 'en')).toBe('2 KB');
		expect(formatBytes(1536 * 1024, 'en')).toBe('1.5 MB');
		expect(formatBytes(25 * 1024 * 1024, 'en')).toBe('25 MB');
	});

	it('uses the page language’s decimal mark', () => {
		expect(formatBytes(1536 * 1024, 'vi')).toBe('1,5 MB');
	});
});

// Our own date formatting writes what Intl writes on a full-ICU runtime (Node
// here) for English and Vietnamese, and its own Khmer; the phone is spared Intl's start-up.
describe('dates without Intl', () => {
	const INTL_LOCALES = [
		['en', 'en-GB'],
		['vi', 'vi-VN']
	] as const;
	const days: string[] = [];
	for (let month = 1; month <= 12; month++)
		for (const date of [1, 9, 28])
			days.push(`2027-${String(month).padStart(2, '0')}-${String(date).padStart(2, '0')}`);

	it('writes a calendar day and a month as Intl does for en-GB and vi-VN', () => {
		for (const [language, intl] of INTL_LOCALES)
			for (const day of days) {
				const [year, month, date] = day.split('-').map(Number);
				const utc = Date.UTC(year, month - 1, date);
				const dayFormat = { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' } as const;
				expect(formatDay(day, language)).toBe(new Intl.DateTimeFormat(intl, dayFormat).format(utc));
				const monthFormat = { month: 'short', year: 'numeric', timeZone: 'UTC' } as const;
				expect(formatMonth(year, month, language)).toBe(
					new Intl.DateTimeFormat(intl, monthFormat).format(utc)
				);
				const local = new Date(year, month - 1, date, 15, 30);
				const localFormat = { day: 'numeric', month: 'short', year: 'numeric' } as const;
				expect(formatDate(local, language)).toBe(new Intl.DateTimeFormat(intl, localFormat).format(local));
			}
	});

	it('writes a meeting’s weekday, day and time in Indochina time as Intl does', () => {
		for (const [language, intl] of INTL_LOCALES)
			for (const day of days) {
				const when = new Date(`${day}T16:05:00Z`); // 23:05 in Hanoi, the same day
				const late = new Date(`${day}T18:40:00Z`); // 01:40 the next day in Hanoi
				for (const value of [when, late])
					expect(formatMeeting(value, language)).toBe(
						new Intl.DateTimeFormat(intl, {
							weekday: 'short',
							day: 'numeric',
							month: 'short',
							year: 'numeric',
							hour: '2-digit',
							minute: '2-digit',
							timeZone: 'Asia/Ho_Chi_Minh'
						}).format(value)
					);
			}
	});

	it('writes Khmer dates with its own month and weekday names', () => {
		expect(formatDay('2027-01-04', 'km')).toBe('4 មករា 2027');
		expect(formatMonth(2027, 2, 'km')).toBe('កុម្ភៈ 2027');
		expect(formatMonthShort(12, 'km')).toBe('ធ្នូ');
		expect(formatMeeting('2027-01-04T07:05:00Z', 'km')).toBe('14:05 ចន្ទ 4 មករា 2027');
	});

	it('writes a date and time in the reader’s zone as Intl does for en-GB', () => {
		for (const day of days) {
			const value = new Date(`${day}T08:07:00Z`);
			const format = { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' } as const;
			expect(formatDateTime(value)).toBe(new Intl.DateTimeFormat('en-GB', format).format(value));
		}
	});
});
