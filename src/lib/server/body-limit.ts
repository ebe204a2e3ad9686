// How much of a request body the server reads (issue 20). adapter-node reads
// a body only when a route asks for it (request.formData()), up to its
// BODY_SIZE_LIMIT, which server.js sets to the upload size. Here, before any
// route reads it, every request is held to a small limit, and only the routes
// that take files from a form (no JavaScript: library items, progress photos)
// get the large one, and only for a signed-in person. A larger declared
// Content-Length is refused at once, unread; a body sent without one is cut off
// when it passes the limit.
import { error, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';

/** Every form, the drafts' sync route (a 128 KB update in base64 JSON) and sign-in. */
const SMALL_BODY_LIMIT = 512 * 1024;
/** A 25 MB file (the library bucket's limit) with the form around it; server.js gives adapter-node the same. */
const UPLOAD_BODY_LIMIT = 26 * 1024 * 1024;

/** The routes whose forms carry a file. */
export const UPLOAD_ROUTES: ReadonlySet<string> = new Set([
	'/(app)/library',
	'/(app)/library/[resourceId]',
	'/(app)/spaces/[spaceId]/library',
	'/(app)/spaces/[spaceId]/library/[resourceId]',
	'/(app)/dialogues/[dialogueId]/actions/[actionId]'
]);

const megabytes = (bytes: number) => Math.floor(bytes / (1024 * 1024)) || 0.5;

/** The refusal, in the person's language; server.js throws away what still comes of the body. */
function refusal(limit: number, signInToUpload: boolean): Response {
	const text = signInToUpload
		? m.body_sign_in_to_upload({ max: megabytes(limit) })
		: m.body_too_large({ max: megabytes(limit) });
	return new Response(text, {
		status: 413,
		headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }
	});
}

/** An HttpError to end a body stream with: the route that reads it answers 413 with this message. */
function tooLargeError(limit: number): unknown {
	try {
		error(413, m.body_too_large({ max: megabytes(limit) }));
	} catch (thrown) {
		return thrown;
	}
}

/** The body, cut off with a 413 once more than `limit` bytes have come. */
function capped(body: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
	const reader = body.getReader();
	let size = 0;
	return new ReadableStream({
		async pull(controller) {
			const { done, value } = await reader.read();
			if (done) return controller.close();
			size += value.byteLength;
			if (size > limit) {
				// Cancelling the source makes adapter-node stop reading the socket.
				await reader.cancel().catch(() => undefined);
				controller.error(tooLargeError(limit));
				return;
			}
			controller.enqueue(value);
		},
		cancel: (reason) => reader.cancel(reason)
	});
}

/**
 * Holds the request's body to its limit: a response refusing it (unread), or
 * null to go on (the body then replaced by one that stops at the limit when
 * its length was not declared). `signedIn` is asked only for an upload route
 * and a body over the small limit.
 */
export async function limitBody(
	event: RequestEvent,
	signedIn: () => Promise<boolean>
): Promise<Response | null> {
	const { request } = event;
	if (!request.body) return null;
	const length = request.headers.get('content-length');
	const declared = length === null ? NaN : Number(length);
	// adapter-node refuses a body longer than its declared length.
	if (declared <= SMALL_BODY_LIMIT) return null;
	const upload = UPLOAD_ROUTES.has(event.route.id ?? '');
	const limit = upload && (await signedIn()) ? UPLOAD_BODY_LIMIT : SMALL_BODY_LIMIT;
	if (declared > limit) return refusal(limit, upload && limit === SMALL_BODY_LIMIT);
	if (Number.isNaN(declared)) {
		event.request = new Request(request, {
			body: capped(request.body, limit),
			duplex: 'half'
		} as RequestInit);
	}
	return null;
}
