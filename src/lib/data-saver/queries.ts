import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '$lib/supabase/database.types';

/** Keeps the choice with the person (their private profile row; RLS: their own only). */
export const saveDataSaver = (supabase: SupabaseClient<Database>, userId: string, on: boolean) =>
	supabase.from('profile_private').update({ data_saver: on }).eq('id', userId);

/** The choice kept with the person, or null when it could not be read. */
export async function savedDataSaver(
	supabase: SupabaseClient<Database>,
	userId: string
): Promise<boolean | null> {
	const { data } = await supabase.from('profile_private').select('data_saver').eq('id', userId).maybeSingle();
	return data ? data.data_saver : null;
}
