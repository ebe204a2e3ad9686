// Dates in the page's language. Relative times come from our own messages,
// so the server and every browser say the same thing (some Chromium builds
// ship no Khmer locale data and would fall back to English). Dates use Intl
// where the runtime knows the locale, and a numeric day/month/year otherwise.
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';

const intlLocale = () => ({ en: 'en-GB', vi: 'vi-VN', km: 'km-KH' })[getLocale()];
const supported = (locale: string) => Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0;
const pad = (n: number) => String(n).padStart(2, '0');

export function formatDate(value: string | Date): string {
	const date = new Date(value);
	const locale = intlLocale();
	if (!supported(locale)) return `${date.getDate()}/${date.getMonth() + 1}/${date.getFullYear()}`;
	return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' }).format(date);
}

export function formatDateTime(value: string | Date): string {
	const date = new Date(value);
	const locale = intlLocale();
	if (!supported(locale)) {
		return `${pad(date.getHours())}:${pad(date.getMinutes())} ${date.getDate()}/${date.getMonth() + 1}`;
	}
	return new Intl.DateTimeFormat(locale, {
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
