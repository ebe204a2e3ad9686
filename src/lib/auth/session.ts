// After a successful sign-in: the profile's language becomes the page language.
import type { Cookies } from '@sveltejs/kit';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '$lib/supabase/database.types';
import { preferredLanguage } from '$lib/profile/queries';
import { setLocaleCookie } from '$lib/i18n/cookie';

export async function adoptProfileLanguage(
	supabase: SupabaseClient<Database>,
	userId: string,
	cookies: Cookies
) {
	const locale = await preferredLanguage(supabase, userId);
	if (locale) setLocaleCookie(cookies, locale);
}
