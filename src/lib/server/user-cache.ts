// The signed-in person as the auth server last confirmed them, per access
// token, for a few seconds: every page asked the auth server again (one round
// trip and four queries on the local stack, the largest single cost of a
// page). Kept for 30 s at most and never past the token's own expiry; signing
// out here forgets it at once. The database never relies on this: PostgREST
// checks the token itself on every call and RLS decides what it may read. It is
// stricter than Supabase's getClaims(), which trusts a valid token without
// asking the auth server at all.
import type { User } from '@supabase/supabase-js';

const TTL_MS = 30_000;
const MAX_ENTRIES = 5_000;
const confirmed = new Map<string, { user: User; until: number }>();

export function cachedUser(token: string, now = Date.now()): User | null {
	const hit = confirmed.get(token);
	if (!hit) return null;
	if (hit.until > now) return hit.user;
	confirmed.delete(token);
	return null;
}

/** `expiresAt`: the token's expiry (seconds since the epoch), when known. */
export function rememberUser(token: string, user: User, expiresAt?: number, now = Date.now()) {
	if (confirmed.size >= MAX_ENTRIES) {
		for (const [key, entry] of confirmed) if (entry.until <= now) confirmed.delete(key);
		// Still full: drop the oldest (Map keeps insertion order).
		while (confirmed.size >= MAX_ENTRIES) confirmed.delete(confirmed.keys().next().value!);
	}
	confirmed.set(token, { user, until: Math.min(now + TTL_MS, expiresAt ? expiresAt * 1000 : Infinity) });
}

export function forgetUser(token: string | undefined) {
	if (token) confirmed.delete(token);
}
