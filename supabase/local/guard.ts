// The stack's front door: bounds what a request may make lite do, before lite
// sees it (LIMITS in ./limits.ts). lite reads whole bodies into memory and runs
// every statement on one PGlite session, so an unbounded body, a huge insert or
// huge sign-up metadata from one client would be everyone's wait.
//
// The body is read here with a counter and stops at the limit: a declared
// Content-Length over it is refused unread, a chunked body as soon as it passes
// it. (After the answer, @hono/node-server drains at most 64 MiB or 500 ms of
// what is left, then closes the connection.) What passes is handed to lite as
// the bytes already read.
import { LIMITS } from './limits';

/**
 * A request to pass on (its body already read and bounded), or the answer that refuses it.
 * (Not told apart with instanceof: @hono/node-server replaces the global Request and
 * Response classes, so objects of both kinds are about.)
 */
export type Guarded = { pass: Request } | { refuse: Response };

export async function guardRequest(
	request: Request,
	url: URL,
	/** A bucket's own file size limit, if it has one (uploads to it are read no further). */
	bucketLimit: (bucket: string) => Promise<number | null>
): Promise<Guarded> {
	const refuse = (response: Response) => ({ refuse: response });
	if (request.method === 'GET' || request.method === 'HEAD' || !request.body) return { pass: request };
	const area = areaOf(url.pathname);
	let cap = LIMITS.jsonBodyBytes;
	if (area === 'storage') {
		const bucket = uploadBucket(request.method, url.pathname);
		const own = bucket ? await bucketLimit(bucket) : null;
		cap = Math.min(own ?? Infinity, LIMITS.fileBytes) + LIMITS.multipartOverheadBytes;
	}
	const declared = Number(request.headers.get('content-length') ?? NaN);
	if (declared > cap) return refuse(tooLarge(area, declared, cap));
	const bytes = await readAtMost(request.body, cap);
	if (!bytes) return refuse(tooLarge(area, null, cap));
	if (area === 'rest' && request.method === 'POST' && !url.pathname.startsWith('/rest/v1/rpc/')) {
		const rows = rowCount(bytes, request.headers.get('content-type'));
		if (rows > LIMITS.rowsPerWrite) {
			return refuse(
				postgrestError(413, {
					code: 'PGRST413',
					message: 'Too many rows in one request',
					details: `${rows} rows were sent; the local stack takes at most ${LIMITS.rowsPerWrite} per insert or upsert`,
					hint: `Send the rows in batches of ${LIMITS.rowsPerWrite} or fewer`
				})
			);
		}
	}
	if (area === 'auth' && carriesUserMetadata(request.method, url.pathname)) {
		const size = metadataBytes(bytes);
		if (size > LIMITS.userMetadataBytes) {
			return refuse(
				Response.json(
					{
						code: 400,
						error_code: 'validation_failed',
						msg: `User metadata is ${size} bytes; at most ${LIMITS.userMetadataBytes} are accepted`
					},
					{ status: 400 }
				)
			);
		}
	}
	return { pass: new Request(request, { body: bytes }) };
}

type Area = 'rest' | 'auth' | 'storage' | 'other';

/** Storage's other object endpoints under /object/<word>/…; anything else there is an upload. */
const NOT_BUCKETS = new Set(['list', 'sign', 'move', 'copy', 'info', 'public', 'authenticated', 'upload']);

/** The bucket an upload (POST/PUT /storage/v1/object/<bucket>/<path>, or a signed upload) goes to. */
function uploadBucket(method: string, path: string): string | null {
	if (method !== 'POST' && method !== 'PUT') return null;
	const parts = path.slice('/storage/v1/object/'.length).split('/');
	if (!path.startsWith('/storage/v1/object/') || parts.length < 2) return null;
	if (method === 'PUT' && parts[0] === 'upload' && parts[1] === 'sign')
		return decodeURIComponent(parts[2] ?? '');
	return NOT_BUCKETS.has(parts[0]) ? null : decodeURIComponent(parts[0]);
}

function areaOf(path: string): Area {
	if (path.startsWith('/rest/v1/')) return 'rest';
	if (path.startsWith('/auth/v1/')) return 'auth';
	if (path.startsWith('/storage/v1/')) return 'storage';
	return 'other';
}

/** The whole body if it is at most `cap` bytes; null (and the rest left unread) if longer. */
async function readAtMost(
	body: ReadableStream<Uint8Array>,
	cap: number
): Promise<Uint8Array<ArrayBuffer> | null> {
	const reader = body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		total += value.byteLength;
		if (total > cap) {
			await reader.cancel().catch(() => undefined);
			return null;
		}
		chunks.push(value);
	}
	const bytes = new Uint8Array(total);
	let at = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, at);
		at += chunk.byteLength;
	}
	return bytes;
}

function tooLarge(area: Area, size: number | null, cap: number): Response {
	const said = size === null ? 'more than' : `${size} bytes, more than`;
	// Close the connection: the client may still be sending the rest.
	const init = { status: 413, headers: { connection: 'close' } };
	if (area === 'storage') {
		return Response.json(
			{
				statusCode: '413',
				error: 'Payload too large',
				message: 'The object exceeded the maximum allowed size'
			},
			init
		);
	}
	if (area === 'auth') {
		return Response.json(
			{ code: 413, error_code: 'request_too_large', msg: `The request body is ${said} ${cap} bytes` },
			init
		);
	}
	return postgrestError(
		413,
		{
			code: 'PGRST413',
			message: 'Payload too large',
			details: `The request body is ${said} ${cap} bytes`,
			hint: null
		},
		init.headers
	);
}

function postgrestError(
	status: number,
	body: { code: string; message: string; details: string | null; hint: string | null },
	headers: Record<string, string> = {}
): Response {
	return Response.json(body, { status, headers });
}

/** Rows in an insert/upsert body: a JSON array's length, CSV lines after the header, else 1. */
function rowCount(bytes: Uint8Array, contentType: string | null): number {
	const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
	if (contentType?.includes('text/csv'))
		return Math.max(0, text.split('\n').filter((l) => l.trim()).length - 1);
	if (!text.trimStart().startsWith('[')) return 1;
	try {
		const value: unknown = JSON.parse(text);
		return Array.isArray(value) ? value.length : 1;
	} catch {
		return 0; // not JSON: lite answers that itself
	}
}

/** Auth endpoints that store user metadata: sign-up, passwordless sign-up, user update, admin create/update. */
function carriesUserMetadata(method: string, path: string): boolean {
	const endpoint = path.slice('/auth/v1'.length);
	if (method === 'POST') return ['/signup', '/otp', '/admin/users'].includes(endpoint);
	if (method === 'PUT') return endpoint === '/user' || endpoint.startsWith('/admin/users/');
	return false;
}

/** Bytes of the `data` / `user_metadata` / `app_metadata` the body carries, as JSON. */
function metadataBytes(bytes: Uint8Array): number {
	let body: unknown;
	try {
		body = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
	} catch {
		return 0; // not JSON: lite answers that itself
	}
	if (typeof body !== 'object' || body === null) return 0;
	const fields = body as Record<string, unknown>;
	return Math.max(
		...['data', 'user_metadata', 'app_metadata'].map((key) =>
			fields[key] === undefined ? 0 : Buffer.byteLength(JSON.stringify(fields[key]))
		)
	);
}
