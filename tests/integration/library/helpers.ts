// Set-up shared by the library tests. Everything a person does goes through
// supabase-js (Storage and REST) with their own session, as the app does.
import { expect } from 'vitest';
import type { Person, TestStack } from '../helpers/stack';
import { LIBRARY_BUCKET, objectPath } from '$lib/library/limits';
import { pgArray } from '$lib/library/values';

/** The smallest file a PDF reader opens. */
export const PDF = Buffer.from(
	'%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'
);

/** A WAV header with no samples. */
export function wav(): Buffer {
	const header = Buffer.alloc(44);
	header.write('RIFF', 0);
	header.writeUInt32LE(36, 4);
	header.write('WAVEfmt ', 8);
	header.writeUInt32LE(16, 16);
	header.writeUInt16LE(1, 20);
	header.writeUInt16LE(1, 22);
	header.writeUInt32LE(8000, 24);
	header.writeUInt32LE(8000, 28);
	header.writeUInt16LE(1, 32);
	header.writeUInt16LE(8, 34);
	header.write('data', 36);
	header.writeUInt32LE(0, 40);
	return header;
}

export const storage = (who: Person) => who.client.storage.from(LIBRARY_BUCKET);

export function upload(
	who: Person,
	path: string,
	body: Buffer = PDF,
	contentType = 'application/pdf',
	upsert = false
) {
	return storage(who).upload(path, body, { contentType, upsert });
}

export interface Added {
	resourceId: string;
	fileId: string;
	path: string;
}

/** Uploads a file and registers it as a new resource, as the upload form does; fails the test if refused. */
export async function addFile(
	who: Person,
	spaceId: string | null,
	title = 'Sổ tay Luật Lao động',
	extra: { description?: string; body?: Buffer; contentType?: string } = {}
): Promise<Added> {
	const resourceId = crypto.randomUUID();
	const fileId = crypto.randomUUID();
	const path = objectPath(spaceId, resourceId, fileId);
	const uploaded = await upload(who, path, extra.body ?? PDF, extra.contentType ?? 'application/pdf');
	expect(uploaded.error, `upload of ${title}`).toBeNull();
	const { data, error } = await who.client.rpc('add_library_resource', {
		p_id: resourceId,
		p_title: title,
		...(spaceId ? { p_space: spaceId } : {}),
		p_description: extra.description ?? '',
		p_topic: 'labour_law',
		p_languages: pgArray(['vi']) as never,
		p_file_id: fileId,
		p_file_name: 'so-tay.pdf'
	});
	expect(error, `registering ${title}`).toBeNull();
	expect(data).toBe(resourceId);
	return { resourceId, fileId, path };
}

/** How many objects Storage keeps under a path prefix (as the owner sees it). */
export async function objectCount(stack: TestStack, prefix: string): Promise<number> {
	const rows = await stack.sql<{ n: number }>(
		`select count(*)::int as n from storage.objects where bucket_id = 'library' and name like $1`,
		[`${prefix}%`]
	);
	return rows[0].n;
}

/**
 * A signed download URL made through the Storage API as `who`. Hosted Storage
 * answers { signedURL: '/object/sign/…' }; @supabase/lite answers
 * { signedUrl: '/storage/v1/object/sign/…' } (so supabase-js builds a broken
 * URL locally: see supabase/local/README.md, "Storage").
 */
export async function signedUrl(
	stack: TestStack,
	who: Person,
	path: string,
	expiresIn = 60
): Promise<{ url: string | null; status: number }> {
	const token = (await who.client.auth.getSession()).data.session?.access_token;
	const response = await fetch(`${stack.url}/storage/v1/object/sign/${LIBRARY_BUCKET}/${path}`, {
		method: 'POST',
		headers: {
			apikey: stack.publishableKey,
			...(token ? { authorization: `Bearer ${token}` } : {}),
			'content-type': 'application/json'
		},
		body: JSON.stringify({ expiresIn })
	});
	const body = (await response.json()) as { signedURL?: string; signedUrl?: string; statusCode?: string };
	const relative = body.signedURL ?? body.signedUrl;
	if (!response.ok || !relative) return { url: null, status: Number(body.statusCode ?? response.status) };
	const url = relative.startsWith('/storage/v1')
		? stack.url + relative
		: `${stack.url}/storage/v1${relative}`;
	return { url, status: response.status };
}
