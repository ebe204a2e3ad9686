// One supabase-js client per request, acting with the requester's session
// (cookies managed by @supabase/ssr). Never the secret key.
import { createServerClient } from '@supabase/ssr';
import type { Cookies } from '@sveltejs/kit';
import type { SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import type { Database } from '$lib/supabase/database.types';
import { supabaseEnv } from '$lib/supabase/env';

export function requestClient(cookies: Cookies, fetch: typeof globalThis.fetch): SupabaseClient<Database> {
	const { url, key } = supabaseEnv();
	return createServerClient<Database>(url, key, {
		cookies: {
			getAll: () => cookies.getAll(),
			setAll: (toSet) => {
				for (const { name, value, options } of toSet) {
					cookies.set(name, value, { ...options, path: '/' });
				}
			}
		},
		global: { fetch },
		// supabase-js builds a realtime client even on the server; Node 20 has
		// no global WebSocket, so hand it `ws` (the server never subscribes).
		realtime: { transport: ws as never }
	});
}
