import { locales, type Locale } from '$lib/paraglide/runtime';

/** Each language named in itself, so a person can find theirs whatever the page language. */
export const localeNames: Record<Locale, string> = {
	en: 'English',
	vi: 'Tiếng Việt',
	km: 'ខ្មែរ'
};

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** A redirect target is only ever a path on this site (no open redirects). */
export function safeReturnPath(value: unknown, fallback = '/'): string {
	if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) {
		return fallback;
	}
	return value;
}
