import type { Cookies } from '@sveltejs/kit';
import { cookieName, type Locale } from '$lib/paraglide/runtime';

/** Same cookie paraglide's `cookie` strategy reads; a year, readable by the client runtime. */
export function setLocaleCookie(cookies: Cookies, locale: Locale) {
	cookies.set(cookieName, locale, {
		path: '/',
		maxAge: 60 * 60 * 24 * 365,
		httpOnly: false,
		sameSite: 'lax'
	});
}
