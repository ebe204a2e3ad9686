// GET /library/files/<file id>: a library file, fetched from Storage with the
// requester's own session (RLS decides, on every request, so a removed member
// loses access at once) and streamed through. Range requests pass through for
// audio and video. Served from the app's origin so "save for offline" can keep
// it under one stable address.
import { redirect, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { supabaseEnv } from '$lib/supabase/env';
import { isUuid } from '$lib/ui/form';
import type { Client } from '$lib/supabase/types';
import { LIBRARY_BUCKET } from './limits';
import { SNIFF_BYTES, contentMatchesType, readHead } from './sniff';

const unavailable = () =>
	new Response(m.library_file_unavailable(), {
		status: 404,
		headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }
	});

/** RFC 6266: a plain ASCII fallback plus the real (Vietnamese, Khmer) name. */
function disposition(fileName: string): string {
	const ascii =
		fileName
			.normalize('NFKD')
			.replace(/[^\x20-\x7e]/g, '')
			.replace(/["\\]/g, '') || 'file';
	return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** A stored object, fetched with the person's own session (Storage's RLS decides). */
export async function fetchStored(
	supabase: Client,
	path: string,
	range: string | null,
	bucket = LIBRARY_BUCKET
): Promise<Response> {
	const token = (await supabase.auth.getSession()).data.session?.access_token;
	const { url: base, key } = supabaseEnv();
	return fetch(`${base}/storage/v1/object/${bucket}/${path}`, {
		headers: {
			apikey: key,
			...(token ? { authorization: `Bearer ${token}` } : {}),
			...(range ? { range } : {})
		}
	});
}

/**
 * Whether a stored object's first bytes agree with the type Storage recorded
 * for it (taken from the file's name when it was uploaded): checked before a
 * file is registered, whoever uploaded it and however.
 */
export async function storedContentMatches(
	supabase: Client,
	path: string,
	bucket = LIBRARY_BUCKET
): Promise<boolean> {
	const stored = await fetchStored(supabase, path, `bytes=0-${SNIFF_BYTES - 1}`, bucket);
	if (stored.status !== 200 && stored.status !== 206) {
		await stored.body?.cancel();
		return false;
	}
	return contentMatchesType(await readHead(stored.body), stored.headers.get('content-type') ?? '');
}

export async function serveLibraryFile({ locals, params, request, url }: RequestEvent): Promise<Response> {
	const user = await locals.getUser();
	if (!user) redirect(303, `/sign-in?next=${encodeURIComponent(url.pathname)}`);
	const fileId = params.fileId ?? '';
	if (!isUuid(fileId)) return unavailable();
	const { data: file } = await locals.supabase
		.from('library_files')
		.select('object_path, thumb_path, file_name, mime_type')
		.eq('id', fileId)
		.maybeSingle();
	const thumb = url.searchParams.has('thumb');
	const path = thumb ? file?.thumb_path : file?.object_path;
	if (!file || !path) return unavailable();

	const upstream = await fetchStored(locals.supabase, path, request.headers.get('range'));
	if (upstream.status !== 200 && upstream.status !== 206) {
		await upstream.body?.cancel();
		return unavailable();
	}
	const headers = new Headers({
		// The type the bucket accepted when it was uploaded (never sniffed).
		'content-type': thumb ? (upstream.headers.get('content-type') ?? 'image/jpeg') : file.mime_type,
		'content-disposition': disposition(file.file_name),
		'accept-ranges': 'bytes',
		// Private files stay out of shared HTTP caches and off the disk of a
		// shared phone; "save for offline" keeps them on purpose instead.
		'cache-control': thumb ? 'private, max-age=3600' : 'private, no-store'
	});
	for (const name of ['content-length', 'content-range', 'etag', 'last-modified']) {
		const value = upstream.headers.get(name);
		if (value) headers.set(name, value);
	}
	return new Response(upstream.body, { status: upstream.status, headers });
}
