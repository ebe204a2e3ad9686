// Dates in the page's language. Relative times come from our own messages,
// so the server and every browser say the same thing (some Chromium builds
// ship no Khmer locale data and would fall back to English). Khmer dates are
// written with our own month names ("4 មករា 2027": a numeric 4/1/2027 reads
// as April to some and January to others), the same on the server and every
// phone; the other languages use Intl.
import { m } from '$lib/paraglide/messages';
import { getLocale, type Locale } from '$lib/paraglide/runtime';
import { numberFormat } from './number-format';

const intlLocale = (locale: Locale) => ({ en: 'en-GB', vi: 'vi-VN', km: 'km-KH' })[locale];
// Asking Intl which locales it knows and building a formatter are slow (a
// thread page of 30 posts spent ~100 ms of a 4×-slowed phone's start-up in
// supportedLocalesOf alone): each is done once per locale and set of options.
const known = new Map<string, boolean>();
const supported = (locale: string) => {
	let answer = known.get(locale);
	if (answer === undefined)
		known.set(locale, (answer = Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0));
	return answer;
};
const formatters = new Map<string, Intl.DateTimeFormat>();
const formatter = (locale: string, options: Intl.DateTimeFormatOptions) => {
	const key = `${locale} ${JSON.stringify(options)}`;
	let made = formatters.get(key);
	if (!made) formatters.set(key, (made = new Intl.DateTimeFormat(locale, options)));
	return made;
};
const pad = (n: number) => String(n).padStart(2, '0');

/** Our own month names (Khmer everywhere; any language Intl does not know). */
const ownNames = (locale: Locale) => locale === 'km' || !supported(intlLocale(locale));
const monthName = (month: number, locale: Locale) => m.date_months({}, { locale }).split('|')[month];

/** "Feb", "thg 2", "កុម្ភៈ": a month's short name (1 = January). */
export function formatMonthShort(month: number, inLocale?: Locale): string {
	const locale = inLocale ?? getLocale();
	if (ownNames(locale)) return monthName(month - 1, locale);
	return formatter(intlLocale(locale), { month: 'short', timeZone: 'UTC' }).format(
		Date.UTC(2000, month - 1, 1)
	);
}

/** "Feb 2027", "thg 2 2027", "កុម្ភៈ 2027": a month of a plan's timeline. */
export function formatMonth(year: number, month: number, inLocale?: Locale): string {
	const locale = inLocale ?? getLocale();
	if (ownNames(locale)) return `${monthName(month - 1, locale)} ${year}`;
	return formatter(intlLocale(locale), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
		Date.UTC(year, month - 1, 1)
	);
}

/** A calendar day (YYYY-MM-DD, no time and no zone), e.g. an activity's start or an action's due date. */
export function formatDay(day: string, inLocale?: Locale): string {
	const [year, month, date] = day.split('-').map(Number);
	if (!year || !month || !date) return day;
	const locale = inLocale ?? getLocale();
	if (ownNames(locale)) return `${date} ${monthName(month - 1, locale)} ${year}`;
	return formatter(intlLocale(locale), {
		day: 'numeric',
		month: 'short',
		year: 'numeric',
		timeZone: 'UTC'
	}).format(Date.UTC(year, month - 1, date));
}

/** A date in the page's language, or in `inLocale` (a report printed in the dialogue's language). */
export function formatDate(value: string | Date, inLocale?: Locale): string {
	const date = new Date(value);
	const locale = inLocale ?? getLocale();
	if (ownNames(locale))
		return `${date.getDate()} ${monthName(date.getMonth(), locale)} ${date.getFullYear()}`;
	return formatter(intlLocale(locale), { day: 'numeric', month: 'short', year: 'numeric' }).format(date);
}

export function formatDateTime(value: string | Date): string {
	const date = new Date(value);
	const locale = getLocale();
	if (ownNames(locale)) {
		return `${pad(date.getHours())}:${pad(date.getMinutes())} ${date.getDate()} ${monthName(date.getMonth(), locale)}`;
	}
	return formatter(intlLocale(locale), {
		day: 'numeric',
		month: 'short',
		hour: '2-digit',
		minute: '2-digit'
	}).format(date);
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
 * the same on the server and on every phone, whatever their own zone.
 */
export function formatMeeting(value: string | Date, inLocale?: Locale): string {
	const date = new Date(value);
	const locale = inLocale ?? getLocale();
	if (ownNames(locale)) {
		const local = new Date(date.getTime() + 7 * 3_600_000);
		return `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())} ${local.getUTCDate()} ${monthName(local.getUTCMonth(), locale)} ${local.getUTCFullYear()}`;
	}
	return formatter(intlLocale(locale), {
		weekday: 'short',
		day: 'numeric',
		month: 'short',
		year: 'numeric',
		hour: '2-digit',
		minute: '2-digit',
		timeZone: 'Asia/Ho_Chi_Minh'
	}).format(date);
}

/** "850 KB", "3.2 MB": data is expensive, so sizes are shown before every download. */
export function formatBytes(bytes: number, locale: string = getLocale()): string {
	const number = (value: number, digits: number) =>
		numberFormat(locale === 'en' ? 'en-GB' : locale, { maximumFractionDigits: digits }).format(value);
	if (bytes < 1024) return `${number(bytes, 0)} B`;
	if (bytes < 1024 * 1024) return `${number(Math.max(1, Math.round(bytes / 1024)), 0)} KB`;
	return `${number(bytes / (1024 * 1024), bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}
