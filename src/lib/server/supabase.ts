// One supabase-js client per request, acting with the requester's session
// (cookies managed by @supabase/ssr). Never the secret key.
import { createServerClient, type CookieOptions as CookieSerializeOptions } from '@supabase/ssr';
import type { Cookies } from '@sveltejs/kit';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import type { Database } from '$lib/supabase/database.types';
import { supabaseEnv } from '$lib/supabase/env';

/** Sessions end after this long without a visit (each visit that refreshes the token renews it). */
const SESSION_IDLE_SECONDS = 30 * 24 * 60 * 60;

/**
 * The session cookie: HttpOnly (no script reads it; the browser gets a
 * short-lived access token from /api/token instead), a month from the last
 * refresh rather than @supabase/ssr's 400 days, same-site.
 */
function sessionCookieOptions(options: CookieSerializeOptions) {
	const deleting = options.maxAge === 0;
	return {
		...options,
		path: '/',
		httpOnly: true,
		sameSite: 'lax' as const,
		maxAge: deleting ? 0 : Math.min(options.maxAge ?? SESSION_IDLE_SECONDS, SESSION_IDLE_SECONDS)
	};
}

/**
 * Whether the request carries a session cookie at all (not whether it is
 * valid: that is getUser()'s job). Lets a page ask for its data at the same
 * time as the session is checked, and spares signed-out visitors the calls.
 */
export const hasSessionCookie = (cookies: Cookies) =>
	cookies.getAll().some(({ name }) => /^sb-.+-auth-token(\.\d+)?$/.test(name));

/**
 * Where supabase-js would keep the session's user object: nowhere. Without it
 * the cookie held the whole user (identities, metadata) beside the tokens,
 * base64-encoded: about half of a cookie that goes up with every request,
 * static files included (issue 24). The server never reads the user from the
 * cookie anyway: it asks the auth server (getUser(), see hooks.server.ts), and
 * the browser gets its token from /api/token. A session read back from the
 * cookie then has no user (supabase-js throws if session.user's fields are
 * read: use getUser()).
 */
const noUserStorage = {
	getItem: () => null,
	setItem: () => undefined,
	removeItem: () => undefined
};

export function requestClient(cookies: Cookies, fetch: typeof globalThis.fetch): SupabaseClient<Database> {
	const { url, key } = supabaseEnv();
	return createServerClient<Database>(url, key, {
		auth: { userStorage: noUserStorage },
		cookies: {
			getAll: () => cookies.getAll(),
			setAll: (toSet) => {
				for (const { name, value, options } of toSet) {
					cookies.set(name, value, sessionCookieOptions(options));
				}
			}
		},
		global: { fetch },
		// supabase-js builds a realtime client even on the server; Node 20 has
		// no global WebSocket, so hand it `ws` (the server never subscribes).
		realtime: { transport: ws as never }
	});
}

/**
 * A client that keeps no session: for checking a password without signing the
 * person in (the step-up in sign-in/+page.server.ts). Still the publishable key.
 */
export function sessionlessClient(fetch: typeof globalThis.fetch): SupabaseClient<Database> {
	const { url, key } = supabaseEnv();
	return createClient<Database>(url, key, {
		auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
		global: { fetch },
		realtime: { transport: ws as never }
	});
}
