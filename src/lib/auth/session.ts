// After a successful sign-in, the choices kept in the person's profile apply
// on this phone from the first page: their language, and the data saver they
// may have turned on from another phone (pages read both from cookies, so
// they hold before any JavaScript runs).
import type { Cookies } from '@sveltejs/kit';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '$lib/supabase/database.types';
import { preferredLanguage } from '$lib/i18n/preferred';
import { setLocaleCookie } from '$lib/i18n/cookie';
import { savedDataSaver } from '$lib/data-saver/queries';
import { setDataSaver } from '$lib/data-saver/cookie';

export async function adoptProfileChoices(
	supabase: SupabaseClient<Database>,
	userId: string,
	cookies: Cookies
) {
	const [locale, dataSaver] = await Promise.all([
		preferredLanguage(supabase, userId),
		savedDataSaver(supabase, userId)
	]);
	if (locale) setLocaleCookie(cookies, locale);
	// The profile is the truth: on a shared phone, the previous person's choice does not stay.
	if (dataSaver !== null) setDataSaver(cookies, dataSaver);
}
