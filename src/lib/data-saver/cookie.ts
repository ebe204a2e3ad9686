// The data saver is read from a cookie so every server render respects it
// before any JavaScript runs (and on pages that have none). The person's
// profile keeps the choice too (profile_private.data_saver), so the settings
// page can put it back on a new phone.
import type { Cookies } from '@sveltejs/kit';
import { SAVER_COOKIE } from '$lib/keys';

export const readDataSaver = (cookies: Pick<Cookies, 'get'>): boolean => cookies.get(SAVER_COOKIE) === '1';

export function setDataSaver(cookies: Cookies, on: boolean) {
	if (on)
		cookies.set(SAVER_COOKIE, '1', {
			path: '/',
			maxAge: 60 * 60 * 24 * 365,
			httpOnly: true,
			sameSite: 'lax'
		});
	else cookies.delete(SAVER_COOKIE, { path: '/' });
}
