// Dates in the page's language, written by our own code with our own month
// and weekday names (messages date_months, date_weekdays), not by Intl:
// - the server and every browser say the same thing (some Chromium builds
//   ship no Khmer locale data and would fall back to English); Khmer dates
//   are written "4 មករា 2027" (a numeric 4/1/2027 reads as April to some and
//   January to others);
// - the first Intl object a page builds loads the browser's locale data,
//   130–310 ms of a 6×-slowed phone's main thread, paid while the page hydrates.
// The patterns are those Intl writes for en-GB and vi-VN (format.spec.ts
// compares the two on Node's full ICU).
import { m } from '$lib/paraglide/messages';
import { getLocale, type Locale } from '$lib/paraglide/runtime';
import { formatNumber } from './number-format';

const pad = (n: number) => String(n).padStart(2, '0');
const monthName = (month: number, locale: Locale) => m.date_months({}, { locale }).split('|')[month];
const weekdayName = (weekday: number, locale: Locale) => m.date_weekdays({}, { locale }).split('|')[weekday];

/** A calendar day: "4 Jan 2027", "4 thg 1, 2027", "4 មករា 2027" (month 0 = January). */
function dayText(year: number, month: number, date: number, locale: Locale): string {
	const name = monthName(month, locale);
	return locale === 'vi' ? `${date} ${name}, ${year}` : `${date} ${name} ${year}`;
}

/** "Feb", "thg 2", "កុម្ភៈ": a month's short name (1 = January). */
export function formatMonthShort(month: number, inLocale?: Locale): string {
	return monthName(month - 1, inLocale ?? getLocale());
}

/** "Feb 2027", "thg 2 2027", "កុម្ភៈ 2027": a month of a plan's timeline. */
export function formatMonth(year: number, month: number, inLocale?: Locale): string {
	return `${monthName(month - 1, inLocale ?? getLocale())} ${year}`;
}

/** A calendar day (YYYY-MM-DD, no time and no zone), e.g. an activity's start or an action's due date. */
export function formatDay(day: string, inLocale?: Locale): string {
	const [year, month, date] = day.split('-').map(Number);
	if (!year || !month || !date) return day;
	return dayText(year, month - 1, date, inLocale ?? getLocale());
}

/** A date in the page's language, or in `inLocale` (a report printed in the dialogue's language). */
export function formatDate(value: string | Date, inLocale?: Locale): string {
	const date = new Date(value);
	return dayText(date.getFullYear(), date.getMonth(), date.getDate(), inLocale ?? getLocale());
}

/** "4 Jan, 14:05", "14:05 4 thg 1", "14:05 4 មករា". */
export function formatDateTime(value: string | Date): string {
	const date = new Date(value);
	const locale = getLocale();
	const time = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
	const day = `${date.getDate()} ${monthName(date.getMonth(), locale)}`;
	return locale === 'en' ? `${day}, ${time}` : `${time} ${day}`;
}

/** "3 h ago"; the date itself after a week. */
export function formatRelative(value: string | Date, now = Date.now()): string {
	const minutes = Math.floor((now - new Date(value).getTime()) / 60_000);
	if (minutes < 1) return m.time_just_now();
	if (minutes < 60) return m.time_minutes_ago({ count: minutes });
	const hours = Math.floor(minutes / 60);
	if (hours < 24) return m.time_hours_ago({ count: hours });
	const days = Math.floor(hours / 24);
	if (days === 1) return m.time_yesterday();
	if (days <= 7) return m.time_days_ago({ count: days });
	return formatDate(value);
}

/**
 * A meeting's date and time in Indochina time (UTC+7: Vietnam and Cambodia),
 * the same on the server and on every phone, whatever their own zone:
 * "Mon, 4 Jan 2027, 14:05", "14:05 Thứ 2, 4 thg 1, 2027", "14:05 ចន្ទ 4 មករា 2027".
 */
export function formatMeeting(value: string | Date, inLocale?: Locale): string {
	const local = new Date(new Date(value).getTime() + 7 * 3_600_000);
	const locale = inLocale ?? getLocale();
	const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
	const weekday = weekdayName(local.getUTCDay(), locale);
	const day = dayText(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), locale);
	if (locale === 'en') return `${weekday}, ${day}, ${time}`;
	return locale === 'vi' ? `${time} ${weekday}, ${day}` : `${time} ${weekday} ${day}`;
}

/** "850 KB", "3.2 MB": data is expensive, so sizes are shown before every download. */
export function formatBytes(bytes: number, locale: string = getLocale()): string {
	const number = (value: number, digits: number) =>
		formatNumber(value, locale, { maximumFractionDigits: digits });
	if (bytes < 1024) return `${number(bytes, 0)} B`;
	if (bytes < 1024 * 1024) return `${number(Math.max(1, Math.round(bytes / 1024)), 0)} KB`;
	return `${number(bytes / (1024 * 1024), bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}
