// Dates in the page's language, through Intl (Khmer and Vietnamese calendars
// and digits as people expect them).
import { getLocale } from '$lib/paraglide/runtime';

const intlLocale = () => ({ en: 'en-GB', vi: 'vi-VN', km: 'km-KH' })[getLocale()];

export function formatDate(value: string | Date): string {
	return new Intl.DateTimeFormat(intlLocale(), { day: 'numeric', month: 'short', year: 'numeric' }).format(
		new Date(value)
	);
}

export function formatDateTime(value: string | Date): string {
	return new Intl.DateTimeFormat(intlLocale(), {
		day: 'numeric',
		month: 'short',
		hour: '2-digit',
		minute: '2-digit'
	}).format(new Date(value));
}

/** "3 hours ago" style, falling back to the date after a week. */
export function formatRelative(value: string | Date, now = Date.now()): string {
	const seconds = Math.round((new Date(value).getTime() - now) / 1000);
	const units: [Intl.RelativeTimeFormatUnit, number][] = [
		['minute', 60],
		['hour', 3600],
		['day', 86400]
	];
	if (Math.abs(seconds) < 60)
		return new Intl.RelativeTimeFormat(intlLocale(), { numeric: 'auto' }).format(0, 'second');
	if (Math.abs(seconds) > 7 * 86400) return formatDate(value);
	const [unit, size] = [...units].reverse().find(([, s]) => Math.abs(seconds) >= s)!;
	return new Intl.RelativeTimeFormat(intlLocale(), { numeric: 'auto' }).format(
		Math.round(seconds / size),
		unit
	);
}
