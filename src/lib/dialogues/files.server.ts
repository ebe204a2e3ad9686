// Files of progress updates (photos of a repaired gate, a signed letter):
// uploaded by the app server as the person to the "dialogue-files" bucket,
// checked to be what their name says, then registered by post_action_update().
import { m } from '$lib/paraglide/messages';
import type { Client } from '$lib/supabase/types';
import { checkFile } from '$lib/library/form';
import { storageProblem } from '$lib/library/problems';
import { fetchStored, storedContentMatches } from '$lib/library/files.server';
import { stripBidiControls } from '$lib/text/clean';
import { FILE_NAME_MAX } from '$lib/library/limits';
import { ACTION_FILES_BUCKET } from './queries';

/** Uploads the file to `path`; the reason it was refused, or null. Nothing stays stored after a refusal. */
export async function storeActionFile(supabase: Client, path: string, file: File): Promise<string | null> {
	const refused = checkFile(file);
	if (refused) return refused;
	const bucket = supabase.storage.from(ACTION_FILES_BUCKET);
	const { error } = await bucket.upload(path, new Uint8Array(await file.arrayBuffer()), {
		contentType: file.type || 'application/octet-stream',
		cacheControl: '31536000',
		upsert: false
	});
	if (error) return storageProblem((error as { statusCode?: string }).statusCode, file.name, file.type);
	if (!(await storedContentMatches(supabase, path, ACTION_FILES_BUCKET))) {
		await bucket.remove([path]);
		return m.library_error_not_what_it_says({ name: file.name });
	}
	return null;
}

export const removeActionFile = (supabase: Client, path: string) =>
	supabase.storage.from(ACTION_FILES_BUCKET).remove([path]);

export const actionFileName = (name: string) =>
	stripBidiControls(name).trim().slice(0, FILE_NAME_MAX) || 'file';

/** Streams a registered file to a reader of its dialogue (RLS on the bucket decides). */
export async function serveActionFile(
	supabase: Client,
	update: { object_path: string; file_name: string | null; mime_type: string | null },
	range: string | null
): Promise<Response | null> {
	const upstream = await fetchStored(supabase, update.object_path, range, ACTION_FILES_BUCKET);
	if (upstream.status !== 200 && upstream.status !== 206) {
		await upstream.body?.cancel();
		return null;
	}
	const headers = new Headers({
		'content-type': update.mime_type ?? 'application/octet-stream',
		'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(update.file_name ?? 'file')}`,
		'cache-control': 'private, no-store',
		'accept-ranges': 'bytes'
	});
	for (const name of ['content-length', 'content-range', 'etag']) {
		const value = upstream.headers.get(name);
		if (value) headers.set(name, value);
	}
	return new Response(upstream.body, { status: upstream.status, headers });
}
