import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '$lib/supabase/database.types';
import { isLocale } from '$lib/i18n/locales';
import type { Locale } from '$lib/paraglide/runtime';

type Client = SupabaseClient<Database>;

export async function loadProfile(supabase: Client, userId: string) {
	const [{ data: profile }, { data: privateDetails }] = await Promise.all([
		supabase
			.from('profiles')
			.select('id, display_name, preferred_language, organisation')
			.eq('id', userId)
			.maybeSingle(),
		supabase.from('profile_private').select('phone').eq('id', userId).maybeSingle()
	]);
	return profile ? { ...profile, phone: privateDetails?.phone ?? null } : null;
}

export async function preferredLanguage(supabase: Client, userId: string): Promise<Locale | null> {
	const { data } = await supabase
		.from('profiles')
		.select('preferred_language')
		.eq('id', userId)
		.maybeSingle();
	return isLocale(data?.preferred_language) ? data.preferred_language : null;
}

export async function savePreferredLanguage(supabase: Client, userId: string, locale: Locale) {
	return supabase.from('profiles').update({ preferred_language: locale }).eq('id', userId);
}
