// How an HTTP request flows through the local stack (one port):
//   /health                        → here
//   /storage/v1/upload/resumable   → the TUS endpoint (resumable.ts; it bounds its own pieces)
//   /mailbox, /mailbox/messages.json → the local mailbox (GET only)
//   /sms, /sms/messages.json       → the local SMS inbox (GET only)
//   everything else                → the guard (guard.ts: body size, rows per write,
//                                    user metadata), then lite (/auth/v1, /rest/v1, /storage/v1);
//                                    /auth/v1 through auth-limits.ts (per-address rate limits,
//                                    codes that stop after wrong tries, sign-up answers), then
//                                    phone-auth.ts for requests with a phone (lite has no phone auth)
// WebSocket upgrades do not come here: the server's `upgrade` event goes to the
// Realtime server (see stack.ts).
import type { App } from '@supabase/lite';
import { guardRequest } from './guard';
import type { createAuthLimits } from './auth-limits';
import { handleMailboxRequest, type DevMailbox } from './mailbox';
import type { createPhoneAuth } from './phone-auth';
import { handleSmsRequest, type SmsInbox } from './sms';
import { RESUMABLE_PATH, type bucketLimitsFor, type createResumableUploads } from './resumable';

export function createFetch(parts: {
	app: App;
	mailbox: DevMailbox;
	sms: SmsInbox;
	phoneAuth: ReturnType<typeof createPhoneAuth>;
	resumable: ReturnType<typeof createResumableUploads>;
	bucketLimits: ReturnType<typeof bucketLimitsFor>;
	authLimits: ReturnType<typeof createAuthLimits>;
}) {
	const { app, mailbox, sms, phoneAuth, resumable, bucketLimits, authLimits } = parts;
	const bucketLimit = async (bucket: string) => (await bucketLimits(bucket))?.maxBytes ?? null;
	const lite = (request: Request, peer: string | null) => app.fetch(request, { peerAddress: peer });
	return async (request: Request, peer: string | null): Promise<Response> => {
		const url = new URL(request.url);
		if (url.pathname === '/health') return Response.json({ ok: true });
		if (url.pathname.startsWith(RESUMABLE_PATH)) {
			return (await resumable.handle(request, peer)) ?? lite(request, peer);
		}
		if (isFunctionPreflight(request, url)) return functionPreflight(request);
		const mail =
			request.method === 'GET' ? (handleMailboxRequest(url, mailbox) ?? handleSmsRequest(url, sms)) : null;
		if (mail) return mail;
		const guarded = await guardRequest(request, url, bucketLimit);
		if ('refuse' in guarded) return readableAcrossOrigins(guarded.refuse, request);
		if (!url.pathname.startsWith('/auth/v1/')) return lite(guarded.pass, peer);
		let fromLite = false;
		const answer = await authLimits.handle(guarded.pass, url, peer, async (passed) => {
			const phone = await phoneAuth.handle(passed, url);
			if (phone) return phone;
			fromLite = true;
			return lite(passed, peer);
		});
		return fromLite ? answer : readableAcrossOrigins(answer, request);
	};
}

/**
 * A browser's CORS preflight for a database function. Lite treats OPTIONS on
 * /rest/v1/rpc/<name> as a call with no arguments: a 404 that makes the
 * browser drop the real call, or worse, the function run once for nothing when
 * all its arguments have defaults. Hosted PostgREST answers the preflight
 * itself; so does this, with the headers lite gives its tables.
 */
const isFunctionPreflight = (request: Request, url: URL) =>
	request.method === 'OPTIONS' &&
	url.pathname.startsWith('/rest/v1/rpc/') &&
	request.headers.has('access-control-request-method');

function functionPreflight(request: Request): Response {
	return new Response(null, {
		status: 200,
		headers: {
			'access-control-allow-origin': request.headers.get('origin') ?? '*',
			'access-control-allow-methods': 'GET, POST, OPTIONS, HEAD',
			'access-control-allow-headers': request.headers.get('access-control-request-headers') ?? '*',
			'access-control-max-age': '86400',
			vary: 'Origin'
		}
	});
}

/**
 * A refusal made here, with the CORS headers lite puts on its own answers:
 * without them a browser on the app's origin sees only a network error (and
 * an upload would retry), never the 413 or 415 that says what is wrong.
 */
function readableAcrossOrigins(response: Response, request: Request): Response {
	const headers = new Headers(response.headers);
	headers.set('access-control-allow-origin', request.headers.get('origin') ?? '*');
	headers.set('vary', 'Origin');
	return new Response(response.body, { status: response.status, headers });
}
