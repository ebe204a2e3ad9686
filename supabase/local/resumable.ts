// Resumable (TUS 1.0.0) uploads for the local stack, at the path hosted Supabase
// Storage uses: POST /storage/v1/upload/resumable creates an upload, HEAD <url>
// says how many bytes arrived, PATCH <url> appends from that offset. lite has
// no TUS, so this keeps the parts in files and, when the last byte arrives,
// stores the object through lite's own Storage endpoint with the uploader's
// token: the bucket's limits and the storage.objects RLS policies decide, as
// for any upload. Differences from hosted are in ./README.md ("Storage").
import { randomUUID } from 'node:crypto';
import { createWriteStream, promises as fs, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { App } from '@supabase/lite';
import { tryAs, type DbGate } from './db-gate';
import { verifyJwt } from './jwt';
import type { LocalKeys } from './keys';
import { LIMITS } from './limits';

export const RESUMABLE_PATH = '/storage/v1/upload/resumable';
const TUS_VERSION = '1.0.0';
/** Hosted Storage takes 6 MiB chunks; a bigger PATCH is refused there too. */
export const TUS_CHUNK_BYTES = LIMITS.tusChunkBytes;
/** Unfinished uploads are forgotten after a day, as hosted expires them. */
const UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;

interface Upload {
	id: string;
	owner: string;
	bucket: string;
	objectName: string;
	contentType: string;
	cacheControl: string;
	upsert: boolean;
	length: number;
	offset: number;
	createdAt: number;
	/** A PATCH is being written: a second one at the same time gets 409 (hosted uses a lock too). */
	busy: boolean;
}

type StorageFetch = (request: Request, peer: string | null) => Promise<Response> | Response;

const CORS = {
	'access-control-allow-origin': '*',
	'access-control-allow-methods': 'POST,HEAD,PATCH,DELETE,OPTIONS',
	'access-control-allow-headers':
		'authorization,apikey,x-client-info,x-upsert,content-type,tus-resumable,upload-length,upload-metadata,upload-offset,upload-defer-length',
	'access-control-expose-headers': 'location,upload-offset,upload-length,tus-resumable',
	'access-control-max-age': '86400'
};

function answer(status: number, body: unknown = null, headers: Record<string, string> = {}): Response {
	const text = body === null ? null : JSON.stringify(body);
	return new Response(text, {
		status,
		headers: {
			...CORS,
			'tus-resumable': TUS_VERSION,
			'cache-control': 'no-store',
			...(text ? { 'content-type': 'application/json' } : {}),
			...headers
		}
	});
}

/** Refusals carry Storage's usual body: the HTTP-like status in `statusCode`. */
const refuse = (status: number, error: string, message: string) =>
	answer(status, { statusCode: String(status), error, message });

function parseMetadata(header: string | null): Record<string, string> {
	const out: Record<string, string> = {};
	for (const pair of (header ?? '').split(',')) {
		const [key, value = ''] = pair.trim().split(' ');
		if (key) out[key] = Buffer.from(value, 'base64').toString('utf8');
	}
	return out;
}

export function createResumableUploads(options: {
	dir: string;
	jwtSecret: string;
	storageFetch: StorageFetch;
	/**
	 * Would the storage.objects policies let this token's user create the object?
	 * Asked at creation and before every piece, as hosted Storage does (canUpload).
	 */
	canUpload: (token: string, bucket: string, objectName: string, upsert: boolean) => Promise<number | null>;
	/** Reads a bucket's limits (the stack asks lite with its secret key). */
	bucketLimits: (bucket: string) => Promise<{ maxBytes: number | null; mimeTypes: string[] | null } | null>;
}) {
	const uploads = new Map<string, Upload>();

	const bearer = (request: Request) => request.headers.get('authorization')?.replace(/^Bearer\s+/i, '') ?? '';
	const refusal = (status: number) =>
		status === 409
			? refuse(409, 'Duplicate', 'The resource already exists')
			: refuse(status, 'Unauthorized', 'new row violates row-level security policy');

	/** The signed-in user of a request (a verified, unexpired user token), or null. */
	function userOf(request: Request): string | null {
		try {
			const sub = verifyJwt(bearer(request), options.jwtSecret).claims.sub;
			return typeof sub === 'string' && sub ? sub : null;
		} catch {
			return null;
		}
	}
	const partPath = (id: string) => join(options.dir, `${id}.part`);

	async function forget(upload: Upload) {
		uploads.delete(upload.id);
		await fs.rm(partPath(upload.id), { force: true });
	}

	async function sweep() {
		const now = Date.now();
		for (const upload of uploads.values()) {
			if (!upload.busy && now - upload.createdAt > UPLOAD_TTL_MS) await forget(upload);
		}
	}

	async function create(request: Request, url: URL): Promise<Response> {
		const owner = userOf(request);
		if (!owner) return refuse(403, 'Unauthorized', 'A signed-in user token is required');
		const length = Number(request.headers.get('upload-length'));
		if (!Number.isSafeInteger(length) || length <= 0) {
			return refuse(400, 'InvalidRequest', 'Upload-Length must be a positive integer');
		}
		const meta = parseMetadata(request.headers.get('upload-metadata'));
		if (!meta.bucketName || !meta.objectName) {
			return refuse(400, 'InvalidRequest', 'Upload-Metadata needs bucketName and objectName');
		}
		const limits = await options.bucketLimits(meta.bucketName);
		if (!limits) return refuse(404, 'Bucket not found', 'Bucket not found');
		const contentType = meta.contentType || 'application/octet-stream';
		// The bucket's rules, said before any byte is spent (hosted checks them here too).
		if (limits.maxBytes !== null && length > limits.maxBytes) {
			return refuse(413, 'Payload too large', 'The object exceeded the maximum allowed size');
		}
		if (limits.mimeTypes?.length && !limits.mimeTypes.includes(contentType)) {
			return refuse(415, 'invalid_mime_type', `mime type ${contentType} is not supported`);
		}
		const upsert = request.headers.get('x-upsert') === 'true';
		const refused = await options.canUpload(bearer(request), meta.bucketName, meta.objectName, upsert);
		if (refused) return refusal(refused);
		await sweep();
		const upload: Upload = {
			id: randomUUID(),
			owner,
			bucket: meta.bucketName,
			objectName: meta.objectName,
			contentType,
			// As hosted: seconds become max-age, anything else no-cache.
			cacheControl: /^\d+$/.test(meta.cacheControl ?? '') ? `max-age=${meta.cacheControl}` : 'no-cache',
			upsert,
			length,
			offset: 0,
			createdAt: Date.now(),
			busy: false
		};
		await fs.mkdir(options.dir, { recursive: true });
		await fs.writeFile(partPath(upload.id), new Uint8Array());
		uploads.set(upload.id, upload);
		return answer(201, null, { location: `${url.origin}${RESUMABLE_PATH}/${upload.id}` });
	}

	/** The upload named in the URL, if it belongs to the token's user (others are told it does not exist). */
	function uploadOf(request: Request, id: string): Upload | null {
		const upload = uploads.get(id);
		return upload && upload.owner === userOf(request) ? upload : null;
	}

	function status(upload: Upload): Response {
		return answer(200, null, {
			'upload-offset': String(upload.offset),
			'upload-length': String(upload.length)
		});
	}

	async function append(request: Request, upload: Upload, peer: string | null): Promise<Response> {
		if (request.headers.get('content-type') !== 'application/offset+octet-stream') {
			return refuse(415, 'InvalidRequest', 'Content-Type must be application/offset+octet-stream');
		}
		const offset = Number(request.headers.get('upload-offset'));
		if (offset !== upload.offset) {
			return answer(
				409,
				{ statusCode: '409', error: 'Conflict', message: 'Upload-Offset does not match' },
				{
					'upload-offset': String(upload.offset)
				}
			);
		}
		if (upload.busy) return refuse(409, 'Conflict', 'Another request is writing this upload');
		// Asked again for every piece: a member removed half way stops here.
		const refused = await options.canUpload(bearer(request), upload.bucket, upload.objectName, upload.upsert);
		if (refused) return refusal(refused);
		upload.busy = true;
		try {
			// Write what arrives, even if the connection drops half way: the next
			// HEAD reports it and the client sends only the rest.
			let received = 0;
			const room = upload.length - upload.offset;
			let tooMuch = false;
			const counted = request.body
				? Readable.fromWeb(request.body as never).map((chunk: Buffer) => {
						received += chunk.length;
						if (received > room || received > TUS_CHUNK_BYTES) {
							tooMuch = true;
							throw new Error('chunk too large');
						}
						return chunk;
					})
				: Readable.from([]);
			try {
				await pipeline(counted, createWriteStream(partPath(upload.id), { flags: 'a' }));
			} catch {
				if (tooMuch) {
					await fs.truncate(partPath(upload.id), upload.offset);
					return refuse(413, 'Payload too large', 'The chunk goes past Upload-Length or 6 MiB');
				}
				// The connection dropped: keep what was written.
				upload.offset = (await fs.stat(partPath(upload.id))).size;
				return refuse(400, 'Aborted', 'The request ended early');
			}
			upload.offset += received;
			if (upload.offset < upload.length) return answer(204, null, { 'upload-offset': String(upload.offset) });
			return await finish(request, upload, peer);
		} finally {
			upload.busy = false;
		}
	}

	/** The last byte arrived: store the object as the uploader, through lite's Storage. */
	async function finish(request: Request, upload: Upload, peer: string | null): Promise<Response> {
		const bytes = await fs.readFile(partPath(upload.id));
		const headers: Record<string, string> = {
			authorization: request.headers.get('authorization') ?? '',
			apikey: request.headers.get('apikey') ?? '',
			'content-type': upload.contentType,
			'cache-control': upload.cacheControl,
			'x-upsert': String(upload.upsert)
		};
		const target = new URL(`/storage/v1/object/${upload.bucket}/${upload.objectName}`, request.url);
		const stored = await options.storageFetch(
			new Request(target, { method: 'POST', headers, body: new Uint8Array(bytes) }),
			peer
		);
		await forget(upload);
		if (stored.ok) return answer(204, null, { 'upload-offset': String(upload.offset) });
		// Storage's refusal (RLS, an existing object, limits) goes back as it came.
		const body = await stored.text();
		return new Response(body, {
			status: stored.status,
			headers: { ...CORS, 'tus-resumable': TUS_VERSION, 'content-type': 'application/json' }
		});
	}

	/** Handles the resumable path, or returns null for any other request. */
	async function handle(request: Request, peer: string | null): Promise<Response | null> {
		const url = new URL(request.url);
		if (url.pathname !== RESUMABLE_PATH && !url.pathname.startsWith(`${RESUMABLE_PATH}/`)) return null;
		const response = await route(request, url, peer);
		// A refused PATCH's piece was never read: read and drop it (bounded) so the
		// client's request ends and its connection can serve the next one.
		if (request.body && !request.body.locked) await drop(request.body);
		return response;
	}

	async function drop(body: ReadableStream<Uint8Array>) {
		const reader = body.getReader();
		let seen = 0;
		try {
			for (;;) {
				const { done, value } = await reader.read();
				if (done) return;
				seen += value.length;
				if (seen > 2 * TUS_CHUNK_BYTES) return void (await reader.cancel());
			}
		} catch {
			// the client went away
		}
	}

	async function route(request: Request, url: URL, peer: string | null): Promise<Response> {
		if (request.method === 'OPTIONS') {
			return answer(204, null, { 'tus-version': TUS_VERSION, 'tus-max-size': String(LIMITS.fileBytes) });
		}
		const id = url.pathname.slice(RESUMABLE_PATH.length + 1);
		if (!id)
			return request.method === 'POST' ? create(request, url) : refuse(405, 'InvalidRequest', 'POST here');
		const upload = uploadOf(request, id);
		if (!upload) return refuse(404, 'Not found', 'Upload not found');
		if (request.method === 'HEAD') return status(upload);
		if (request.method === 'PATCH') return append(request, upload, peer);
		if (request.method === 'DELETE') {
			if (upload.busy) return refuse(409, 'Conflict', 'Upload in progress');
			await forget(upload);
			return answer(204);
		}
		return refuse(405, 'InvalidRequest', 'Method not allowed');
	}

	return {
		handle,
		/** Uploads not finished yet (for tests: nothing is left behind). */
		pending: () => uploads.size,
		async close() {
			for (const upload of [...uploads.values()]) await forget(upload);
		}
	};
}

/**
 * The TUS endpoint wired to the stack: objects are stored through lite's Storage,
 * bucket limits are read from it with the secret key, and "may this user upload?"
 * is the insert the upload will make, tried as the user (through the database
 * gate) and rolled back. An existing object without upsert is a 409, as hosted.
 */
export function resumableForStack(dir: string, app: App, gate: DbGate, keys: LocalKeys) {
	// Uploads are remembered in memory only: pieces left by a stack that died are orphans.
	rmSync(dir, { recursive: true, force: true });
	return createResumableUploads({
		dir,
		jwtSecret: keys.jwtSecret,
		storageFetch: (request, peer) => app.fetch(request, { peerAddress: peer }),
		canUpload: async (token, bucket, objectName, upsert) => {
			let identity;
			try {
				identity = verifyJwt(token, keys.jwtSecret);
			} catch {
				return 403;
			}
			const tried = await tryAs(
				gate,
				identity,
				`insert into storage.objects (bucket_id, name, owner, owner_id)
				 values ($1, $2, auth.uid(), auth.uid()::text)`,
				[bucket, objectName]
			);
			if (tried.ok) return null;
			if (tried.code === '23505') return upsert ? null : 409;
			return 403;
		},
		bucketLimits: bucketLimitsFor(app, keys)
	});
}

/** A bucket's size and type limits, read from lite's Storage with the secret key (null: no such bucket). */
export function bucketLimitsFor(app: App, keys: LocalKeys) {
	return async (bucket: string): Promise<{ maxBytes: number | null; mimeTypes: string[] | null } | null> => {
		const response = await app.fetch(
			new Request(`http://stack.local/storage/v1/bucket/${encodeURIComponent(bucket)}`, {
				headers: { apikey: keys.secretKey, authorization: `Bearer ${keys.secretKey}` }
			}),
			{ peerAddress: null }
		);
		if (!response.ok) return null;
		const found = (await response.json()) as {
			file_size_limit?: number | null;
			allowed_mime_types?: string[] | null;
		};
		return { maxBytes: found.file_size_limit ?? null, mimeTypes: found.allowed_mime_types ?? null };
	};
}
