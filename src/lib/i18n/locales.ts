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
