import { sequence } from '@sveltejs/kit/hooks';
import type { Handle, ServerInit } from '@sveltejs/kit';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { requestClient } from '$lib/server/supabase';
import { allowSupabaseOrigin } from '$lib/server/csp';
import { supabaseEnv } from '$lib/supabase/env';
import { startPushWorkerWithServer } from '$lib/push/start.server';

// Fail at start-up, not on the first request, when the app is not configured.
const { url: supabaseUrl } = supabaseEnv();

const locale: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) =>
				html.replace('%paraglide.lang%', locale).replace('%sahakum.rendered%', new Date().toISOString())
		});
	});

const supabase: Handle = async ({ event, resolve }) => {
	event.locals.supabase = requestClient(event.cookies, event.fetch);
	let user: Promise<import('@supabase/supabase-js').User | null> | undefined;
	// Validated by the auth server (getUser), never trusted from the cookie alone;
	// memoised so several loads in one request ask once.
	event.locals.getUser = () =>
		(user ??= event.locals.supabase.auth.getUser().then(({ data, error }) => (error ? null : data.user)));
	return resolve(event, {
		filterSerializedResponseHeaders: (name) => name === 'content-range' || name === 'x-supabase-api-version'
	});
};

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const policy = response.headers.get('content-security-policy');
	if (policy) response.headers.set('content-security-policy', allowSupabaseOrigin(policy, supabaseUrl));
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
	response.headers.set('permissions-policy', 'camera=(), geolocation=(), microphone=(self)');
	return response;
};

export const handle = sequence(securityHeaders, locale, supabase);

// The push worker (src/lib/push/worker.server.ts), when server.js asks for it.
export const init: ServerInit = () => startPushWorkerWithServer();
