import { sequence } from '@sveltejs/kit/hooks';
import type { Handle, ServerInit } from '@sveltejs/kit';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { requestClient } from '$lib/server/supabase';
import { allowSupabaseOrigin } from '$lib/server/csp';
import { supabaseEnv } from '$lib/supabase/env';
import { startPushWorkerWithServer } from '$lib/push/start.server';
import { startDraftCompactorFromEnv } from '$lib/drafts/compactor.server';
import { startExportWorkerFromEnv } from '$lib/account/export-worker.server';
import { building } from '$app/env';
import { env as privateEnv } from '$env/dynamic/private';
import { env as publicEnv } from '$env/dynamic/public';
import { cachedUser, forgetUser, rememberUser } from '$lib/server/user-cache';
import { limitBody } from '$lib/server/body-limit';
import type { SupabaseClient, User } from '@supabase/supabase-js';

// Fail at start-up, not on the first request, when the app is not configured.
const { url: supabaseUrl } = supabaseEnv();

// SvelteKit's own loading (modulepreload links, the starter importing at once):
// waiting for the first paint before importing the app made pages ready later
// and block longer on the harsh profile (issue 24, src/lib/loading/README.md).
const locale: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) =>
				html.replace('%paraglide.lang%', locale).replace('%sahakum.rendered%', new Date().toISOString())
		});
	});

async function confirmedUser(client: SupabaseClient): Promise<User | null> {
	// The cookie's session, refreshed first if its token has expired (no request otherwise).
	const { data } = await client.auth.getSession();
	const token = data.session?.access_token;
	if (!token) return null;
	const known = cachedUser(token);
	if (known) return known;
	const { data: confirmed, error } = await client.auth.getUser();
	if (error || !confirmed.user) return null;
	rememberUser(token, confirmed.user, data.session?.expires_at);
	return confirmed.user;
}

const supabase: Handle = async ({ event, resolve }) => {
	event.locals.supabase = requestClient(event.cookies, event.fetch);
	let user: Promise<User | null> | undefined;
	// Validated by the auth server (getUser), never trusted from the cookie alone;
	// memoised so several loads in one request ask once, and remembered per
	// access token for a few seconds (see $lib/server/user-cache).
	event.locals.getUser = () => (user ??= confirmedUser(event.locals.supabase));
	event.locals.userChanged = async () => {
		forgetUser((await event.locals.supabase.auth.getSession()).data.session?.access_token);
		user = undefined;
	};
	return resolve(event, {
		filterSerializedResponseHeaders: (name) => name === 'content-range' || name === 'x-supabase-api-version'
	});
};

// Before any route reads the body: small, unless an upload route and a signed-in
// person (asked of the auth server only then); see $lib/server/body-limit.
const bodyLimit: Handle = async ({ event, resolve }) =>
	(await limitBody(event, async () => !!(await event.locals.getUser()))) ?? resolve(event);

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const policy = response.headers.get('content-security-policy');
	if (policy) response.headers.set('content-security-policy', allowSupabaseOrigin(policy, supabaseUrl));
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
	response.headers.set('permissions-policy', 'camera=(), geolocation=(), microphone=(self)');
	return response;
};

export const handle = sequence(securityHeaders, locale, supabase, bodyLimit);

// The push worker (src/lib/push/worker.server.ts), when server.js asks for it, and
// the drafts' compactor (src/lib/drafts/compactor.server.ts) and the data
// downloads' builder (src/lib/account/export-worker.server.ts) wherever the secret key is set.
export const init: ServerInit = () => {
	if (building) return;
	startPushWorkerWithServer();
	startDraftCompactorFromEnv({ ...privateEnv, ...publicEnv });
	startExportWorkerFromEnv({ ...privateEnv, ...publicEnv }); // downloads of people's data (issue 26)
};
