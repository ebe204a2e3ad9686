// The limits of the "library" Storage bucket (set on the bucket in
// supabase/migrations/20261122000500_library.sql), repeated here so the form
// can say them and check them before spending someone's data on an upload.
// tests/integration/library checks that both say the same.
import type { Database } from '$lib/supabase/database.types';

export type LibraryKind = Database['public']['Enums']['library_kind'];

export const LIBRARY_BUCKET = 'library';
export const LIBRARY_MAX_BYTES = 25 * 1024 * 1024;
export const LIBRARY_MIME_TYPES = [
	'application/pdf',
	'image/jpeg',
	'image/png',
	'image/webp',
	'image/gif',
	'audio/mpeg',
	'audio/mp4',
	'audio/aac',
	'audio/ogg',
	'audio/wav',
	'audio/x-wav',
	'audio/webm',
	'audio/x-m4a',
	'audio/amr',
	'audio/3gpp',
	'video/mp4',
	'video/webm',
	'video/3gpp',
	'application/msword',
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	'application/vnd.ms-excel',
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	'application/vnd.ms-powerpoint',
	'application/vnd.openxmlformats-officedocument.presentationml.presentation',
	'application/vnd.oasis.opendocument.text',
	'application/vnd.oasis.opendocument.spreadsheet',
	'application/vnd.oasis.opendocument.presentation',
	'text/plain',
	'text/csv'
] as const;

/** For the file picker: the same list, so phones offer only files the bucket takes. */
export const LIBRARY_ACCEPT = LIBRARY_MIME_TYPES.join(',');

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 2000;
export const COLLECTION_MAX = 80;
export const URL_MAX = 2000;
export const FILE_NAME_MAX = 200;
/** Small previews made in the browser for pictures (the bucket path ends in "-thumb"). */
export const THUMB_MAX_BYTES = 200 * 1024;
export const THUMB_SIZE = 320;

export function kindOfMime(mime: string): Exclude<LibraryKind, 'link'> {
	if (mime.startsWith('image/')) return 'image';
	if (mime.startsWith('audio/')) return 'audio';
	if (mime.startsWith('video/')) return 'video';
	return 'document';
}

export const isAllowedMime = (mime: string) => (LIBRARY_MIME_TYPES as readonly string[]).includes(mime);

/** '<space id | network>/<resource id>/<file id>': the shape the storage policies accept. */
export function objectPath(spaceId: string | null, resourceId: string, fileId: string): string {
	return `${spaceId ?? 'network'}/${resourceId}/${fileId}`;
}
