// The browser's supabase-js client, for realtime, the offline outbox and
// co-editing. Import it lazily (`await import(...)`) so reading pages do not
// pay for supabase-js on first paint.
import { createBrowserClient } from '@supabase/ssr';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from './database.types';
import { supabaseEnv } from './env';

let client: SupabaseClient<Database> | undefined;

export function browserClient(): SupabaseClient<Database> {
	if (!client) {
		const { url, key } = supabaseEnv();
		client = createBrowserClient<Database>(url, key);
	}
	return client;
}
