// Resumable (TUS) uploads of library files, through the app's own TUS client
// (src/lib/library/resumable.ts) and by hand where a test needs a broken
// connection, against the local stack's /storage/v1/upload/resumable: pieces,
// resuming after a dropped connection, the bucket's limits checked before any
// byte is spent, and the storage.objects policies deciding as for any upload.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type Person, type TestStack } from '../helpers/stack';
import { removeMember } from '../helpers/spaces';
import { signUpCast, spaceWithCast, type Cast } from '../helpers/cast';
import { LIBRARY_BUCKET, LIBRARY_MAX_BYTES, objectPath } from '$lib/library/limits';
import { ResumableRefused, TUS_CHUNK_BYTES, resumableUpload } from '$lib/library/resumable';
import { pgArray } from '$lib/library/values';
import { objectCount, storage } from './helpers';

let stack: TestStack;
let cast: Cast;
let spaceId: string;

const tokenOf = async (who: Person) => (await who.client.auth.getSession()).data.session!.access_token;

/** A 7 MiB "PDF": two pieces, every byte different enough to catch a misplaced piece. */
function bigPdf(bytes = TUS_CHUNK_BYTES + 1024 * 1024): Buffer {
	const body = Buffer.alloc(bytes);
	for (let i = 0; i < bytes; i += 4) body.writeUInt32LE(i, i);
	body.write('%PDF-1.4\n', 0, 'latin1');
	return body;
}

const send = async (who: Person, path: string, body: Buffer, contentType = 'application/pdf') =>
	resumableUpload({
		url: stack.url,
		apiKey: stack.publishableKey,
		accessToken: await tokenOf(who),
		bucket: LIBRARY_BUCKET,
		path,
		body: new Blob([new Uint8Array(body)]),
		contentType,
		retryDelays: [0, 50]
	});

async function refusal(run: Promise<unknown>): Promise<number> {
	const error = await run.then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(ResumableRefused);
	return (error as ResumableRefused).status;
}

/** Starts an upload by hand; returns its URL. */
async function create(who: Person, path: string, length: number, contentType = 'application/pdf') {
	const b64 = (s: string) => Buffer.from(s).toString('base64');
	const response = await fetch(`${stack.url}/storage/v1/upload/resumable`, {
		method: 'POST',
		headers: {
			apikey: stack.publishableKey,
			authorization: `Bearer ${await tokenOf(who)}`,
			'tus-resumable': '1.0.0',
			'upload-length': String(length),
			'upload-metadata': `bucketName ${b64(LIBRARY_BUCKET)},objectName ${b64(path)},contentType ${b64(contentType)}`
		}
	});
	return { status: response.status, location: response.headers.get('location') };
}

async function head(who: Person, location: string) {
	const response = await fetch(location, {
		method: 'HEAD',
		headers: { authorization: `Bearer ${await tokenOf(who)}`, 'tus-resumable': '1.0.0' }
	});
	return { status: response.status, offset: Number(response.headers.get('upload-offset')) };
}

async function patch(who: Person, location: string, offset: number, body: Buffer) {
	const response = await fetch(location, {
		method: 'PATCH',
		headers: {
			apikey: stack.publishableKey,
			authorization: `Bearer ${await tokenOf(who)}`,
			'tus-resumable': '1.0.0',
			'upload-offset': String(offset),
			'content-type': 'application/offset+octet-stream'
		},
		body: new Uint8Array(body)
	});
	return { status: response.status, offset: Number(response.headers.get('upload-offset')) };
}

/** A PATCH whose connection drops after `sent` of the piece's bytes (the phone lost its network). */
async function patchThenDrop(who: Person, location: string, offset: number, piece: Buffer, sent: number) {
	const token = await tokenOf(who);
	await new Promise<void>((done) => {
		const request = httpRequest(location, {
			method: 'PATCH',
			headers: {
				authorization: `Bearer ${token}`,
				'tus-resumable': '1.0.0',
				'upload-offset': String(offset),
				'content-type': 'application/offset+octet-stream',
				'content-length': String(piece.length)
			}
		});
		request.on('error', () => done());
		request.write(piece.subarray(0, sent), () => setTimeout(() => request.destroy(), 200));
		request.on('close', () => done());
	});
}

/** Registers an uploaded file as a new resource, as the upload form does (only registered files can be read). */
async function register(who: Person, resourceId: string, fileId: string) {
	const { error } = await who.client.rpc('add_library_resource', {
		p_id: resourceId,
		p_space: spaceId,
		p_title: 'Cẩm nang dài',
		p_description: '',
		p_topic: 'labour_law',
		p_languages: pgArray(['vi']) as never,
		p_file_id: fileId,
		p_file_name: 'cam-nang.pdf'
	});
	expect(error).toBeNull();
}

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack);
	spaceId = await spaceWithCast(cast);
});
afterAll(async () => {
	await stack?.stop();
});

describe('resumable uploads', () => {
	it('a member’s 7 MiB file goes in two pieces, is stored whole and can be registered and read back', async () => {
		const resourceId = crypto.randomUUID();
		const fileId = crypto.randomUUID();
		const path = objectPath(spaceId, resourceId, fileId);
		const body = bigPdf();
		const seen: number[] = [];
		await resumableUpload({
			url: stack.url,
			apiKey: stack.publishableKey,
			accessToken: await tokenOf(cast.member),
			bucket: LIBRARY_BUCKET,
			path,
			body: new Blob([new Uint8Array(body)]),
			contentType: 'application/pdf',
			onProgress: (sent) => seen.push(sent)
		});
		expect(seen).toContain(TUS_CHUNK_BYTES);
		expect(seen.at(-1)).toBe(body.length);
		await register(cast.member, resourceId, fileId);
		const [file] = await stack.sql<{ size_bytes: number; mime_type: string }>(
			'select size_bytes::int, mime_type from public.library_files where id = $1',
			[fileId]
		);
		expect(file).toEqual({ size_bytes: body.length, mime_type: 'application/pdf' });
		const { data } = await storage(cast.leader).download(path);
		expect(Buffer.from(await data!.arrayBuffer()).equals(body)).toBe(true);
		expect(stack.resumableUploads()).toBe(0);
		// Seconds in the metadata become max-age, as hosted Storage does.
		const [stored] = await stack.sql<{ cache: string }>(
			`select metadata->>'cacheControl' as cache from storage.objects where name = $1`,
			[path]
		);
		expect(stored.cache).toBe('max-age=3600');
	});

	it('after a dropped connection only the missing bytes are sent again', async () => {
		const resourceId = crypto.randomUUID();
		const fileId = crypto.randomUUID();
		const path = objectPath(spaceId, resourceId, fileId);
		const body = bigPdf();
		const { status, location } = await create(cast.leader, path, body.length);
		expect(status).toBe(201);
		expect(await patch(cast.leader, location!, 0, body.subarray(0, TUS_CHUNK_BYTES))).toEqual({
			status: 204,
			offset: TUS_CHUNK_BYTES
		});
		// Half of the second piece arrives, then the network goes.
		const rest = body.subarray(TUS_CHUNK_BYTES);
		await patchThenDrop(cast.leader, location!, TUS_CHUNK_BYTES, rest, 512 * 1024);
		let kept = 0;
		for (let i = 0; i < 50 && kept <= TUS_CHUNK_BYTES; i++) {
			kept = (await head(cast.leader, location!)).offset;
			if (kept <= TUS_CHUNK_BYTES) await new Promise((r) => setTimeout(r, 50));
		}
		expect(kept).toBeGreaterThan(TUS_CHUNK_BYTES);
		expect(kept).toBeLessThan(body.length);
		// A piece sent from the wrong place is refused with where to go on from.
		expect(await patch(cast.leader, location!, TUS_CHUNK_BYTES, rest)).toEqual({ status: 409, offset: kept });
		expect((await patch(cast.leader, location!, kept, body.subarray(kept))).status).toBe(204);
		await register(cast.leader, resourceId, fileId);
		const { data } = await storage(cast.member).download(path);
		expect(Buffer.from(await data!.arrayBuffer()).equals(body)).toBe(true);
	});

	it('the bucket’s size and type limits refuse the upload before any byte is sent', async () => {
		const resource = crypto.randomUUID();
		const path = objectPath(spaceId, resource, crypto.randomUUID());
		expect((await create(cast.member, path, LIBRARY_MAX_BYTES + 1)).status).toBe(413);
		expect((await create(cast.member, path, 1024, 'application/x-msdownload')).status).toBe(415);
		expect(await refusal(send(cast.member, path, bigPdf(), 'application/x-msdownload'))).toBe(415);
		expect(await objectCount(stack, `${spaceId}/${resource}`)).toBe(0);
		expect(stack.resumableUploads()).toBe(0);
	});

	it('outsiders and removed members are refused by the storage policies before sending a byte', async () => {
		for (const who of [cast.outsider, cast.removed]) {
			const resource = crypto.randomUUID();
			expect((await create(who, objectPath(spaceId, resource, crypto.randomUUID()), 1024)).status).toBe(403);
			const status = await refusal(send(who, objectPath(spaceId, resource, crypto.randomUUID()), bigPdf()));
			expect(status).toBe(403);
			expect(await objectCount(stack, `${spaceId}/${resource}`)).toBe(0);
		}
		expect(stack.resumableUploads()).toBe(0);
	});

	it('an object that already exists is not overwritten', async () => {
		const resourceId = crypto.randomUUID();
		const fileId = crypto.randomUUID();
		const path = objectPath(spaceId, resourceId, fileId);
		await send(cast.member, path, bigPdf());
		expect((await create(cast.member, path, 1024)).status).toBe(409);
	});

	it('anon cannot start one, and nobody can look at or add to someone else’s upload', async () => {
		const anon = await fetch(`${stack.url}/storage/v1/upload/resumable`, {
			method: 'POST',
			headers: { apikey: stack.publishableKey, 'tus-resumable': '1.0.0', 'upload-length': '10' }
		});
		expect(anon.status).toBe(403);
		const path = objectPath(spaceId, crypto.randomUUID(), crypto.randomUUID());
		const { location } = await create(cast.member, path, 2048);
		expect((await head(cast.facilitator, location!)).status).toBe(404);
		expect((await patch(cast.facilitator, location!, 0, Buffer.alloc(2048))).status).toBe(404);
		expect((await head(cast.member, location!)).offset).toBe(0);
		// More than was announced is refused and nothing is kept.
		expect((await patch(cast.member, location!, 0, Buffer.alloc(4096))).status).toBe(413);
		expect((await head(cast.member, location!)).offset).toBe(0);
	});

	it('a member removed half way through is refused at the next piece, and nothing is stored', async () => {
		const resource = crypto.randomUUID();
		const path = objectPath(spaceId, resource, crypto.randomUUID());
		const body = bigPdf();
		const { location } = await create(cast.deputy, path, body.length);
		expect((await patch(cast.deputy, location!, 0, body.subarray(0, TUS_CHUNK_BYTES))).status).toBe(204);
		await removeMember(cast.facilitator, cast.deputy, spaceId);
		expect(
			(await patch(cast.deputy, location!, TUS_CHUNK_BYTES, body.subarray(TUS_CHUNK_BYTES))).status
		).toBe(403);
		expect(await objectCount(stack, `${spaceId}/${resource}`)).toBe(0);
	});
});
