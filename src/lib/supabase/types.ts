import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from './database.types';

export type Client = SupabaseClient<Database>;

/** Display names for a set of people, in one request (authors reference auth.users, not profiles). */
export async function displayNames(supabase: Client, ids: (string | null)[]): Promise<Map<string, string>> {
	const unique = [...new Set(ids.filter((id): id is string => !!id))];
	if (!unique.length) return new Map();
	const { data } = await supabase.from('profiles').select('id, display_name').in('id', unique);
	return new Map((data ?? []).map((p) => [p.id, p.display_name]));
}
