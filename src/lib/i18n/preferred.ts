// The language a person chose in their profile: the server renders in it
// after sign-in, whatever the browser's cookie says (read by $lib/auth/session;
// written by the profile page).
import type { Client } from '$lib/supabase/types';
import type { Locale } from '$lib/paraglide/runtime';
import { isLocale } from './locales';

export async function preferredLanguage(supabase: Client, userId: string): Promise<Locale | null> {
	const { data } = await supabase
		.from('profiles')
		.select('preferred_language')
		.eq('id', userId)
		.maybeSingle();
	return isLocale(data?.preferred_language) ? data.preferred_language : null;
}
