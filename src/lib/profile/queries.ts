import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '$lib/supabase/database.types';
import type { Locale } from '$lib/paraglide/runtime';
import type { ProfileInput } from './form';

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

export async function savePreferredLanguage(supabase: Client, userId: string, locale: Locale) {
	const saved = await supabase.from('profiles').update({ preferred_language: locale }).eq('id', userId);
	if (!saved.error) await emailLanguage(supabase, locale);
	return saved;
}

/**
 * Auth emails (codes, links) are written in the account's user metadata
 * language: hosted templates read {{ .Data.preferred_language }}, the local
 * mailbox the same field. Sign-up sets it; this keeps it in step with the profile.
 */
async function emailLanguage(supabase: Client, locale: Locale) {
	await supabase.auth.updateUser({ data: { preferred_language: locale } });
}

/** The profile form: public fields and the private phone saved together or not at all. */
export async function saveProfile(supabase: Client, profile: ProfileInput) {
	const saved = await supabase.rpc('save_profile', {
		p_display_name: profile.display_name,
		p_organisation: profile.organisation ?? '',
		p_phone: profile.phone ?? '',
		p_preferred_language: profile.preferred_language
	});
	if (!saved.error) await emailLanguage(supabase, profile.preferred_language);
	return saved;
}

/**
 * The name shown in the header, from the auth user the request already has:
 * the database keeps its metadata's display_name equal to the profile's
 * (migration 20261206000200_header_name). Null when the metadata has none.
 */
export function headerName(user: { user_metadata?: Record<string, unknown> }): string | null {
	const name = user.user_metadata?.display_name;
	return typeof name === 'string' && name.trim() ? name : null;
}

/** The name shown in the header, or null, asked of the database (an account whose metadata has no name). */
export async function myDisplayName(supabase: Client): Promise<string | null> {
	const { data } = await supabase.rpc('my_display_name');
	return data ?? null;
}
