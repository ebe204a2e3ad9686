import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '$lib/supabase/database.types';

/** Keeps the choice with the person (their private profile row; RLS: their own only). */
export const saveDataSaver = (supabase: SupabaseClient<Database>, userId: string, on: boolean) =>
	supabase.from('profile_private').update({ data_saver: on }).eq('id', userId);
