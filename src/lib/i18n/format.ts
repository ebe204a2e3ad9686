// Dates in the page's language. Relative times come from our own messages,
// so the server and every browser say the same thing (some Chromium builds
// ship no Khmer locale data and would fall back to English). Dates use Intl
// where the runtime knows the locale, and a numeric day/month/year otherwise.
import { m } from '$lib/paraglide/messages';
import { getLocale, type Locale } from '$lib/paraglide/runtime';

const intlLocale = (locale: Locale = getLocale()) => ({ en: 'en-GB', vi: 'vi-VN', km: 'km-KH' })[locale];
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

/** A date in the page's language, or in `inLocale` (a report printed in the dialogue's language). */
export function formatDate(value: string | Date, inLocale?: Locale): string {
	const date = new Date(value);
	const locale = intlLocale(inLocale);
	if (!supported(locale)) return `${date.getDate()}/${date.getMonth() + 1}/${date.getFullYear()}`;
	return formatter(locale, { day: 'numeric', month: 'short', year: 'numeric' }).format(date);
}

export function formatDateTime(value: string | Date): string {
	const date = new Date(value);
	const locale = intlLocale();
	if (!supported(locale)) {
		return `${pad(date.getHours())}:${pad(date.getMinutes())} ${date.getDate()}/${date.getMonth() + 1}`;
	}
	return formatter(locale, {
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
	const locale = intlLocale(inLocale);
	if (!supported(locale)) {
		const local = new Date(date.getTime() + 7 * 3_600_000);
		return `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())} ${local.getUTCDate()}/${local.getUTCMonth() + 1}/${local.getUTCFullYear()}`;
	}
	return formatter(locale, {
		weekday: 'short',
		day: 'numeric',
		month: 'short',
		year: 'numeric',
		hour: '2-digit',
		minute: '2-digit',
		timeZone: 'Asia/Ho_Chi_Minh'
	}).format(date);
}
