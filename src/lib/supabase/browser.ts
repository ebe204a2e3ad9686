// The browser's supabase-js client, for the offline outbox and co-editing.
// It acts with the person's access token from our server (the session cookie
// is HttpOnly; see ./token.ts), never with a session of its own. Import it
// lazily (`await import(...)`) so reading pages do not pay for supabase-js on
// first paint.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { Database } from './database.types';
import { supabaseEnv } from './env';
import { accessToken } from './token';

let client: SupabaseClient<Database> | undefined;

export function browserClient(): SupabaseClient<Database> {
	if (!client) {
		const { url, key } = supabaseEnv();
		client = createClient<Database>(url, key, {
			accessToken: async () => (await accessToken()) ?? key
		});
	}
	return client;
}
