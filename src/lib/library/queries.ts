// Reading and writing the library as the signed-in person (RLS decides).
import { TOPICS, type Topic, LANGUAGES, type Language } from '$lib/vocabulary';
import type { Client } from '$lib/supabase/types';
import type { Database } from '$lib/supabase/database.types';

import { LIBRARY_BUCKET, type LibraryKind } from './limits';
import { KINDS } from './format';
import { languagesOf, pgArray } from './values';
import type { MemberSpace } from '$lib/spaces/queries';
import type { ResourceValues } from './form';

/** A row of browse_library(); the generated types cannot tell which columns may be null. */
export interface LibraryItem {
	id: string;
	space_id: string | null;
	title: string;
	description: string;
	topic: Topic;
	languages: Language[];
	collection: string;
	url: string | null;
	featured: boolean;
	retired_at: string | null;
	created_at: string;
	kind: LibraryKind;
	file_id: string | null;
	file_name: string | null;
	mime_type: string | null;
	size_bytes: number | null;
	version: number | null;
	has_thumb: boolean;
}

export interface LibraryFilters {
	q: string;
	topic: Topic | null;
	language: Language | null;
	kind: LibraryKind | null;
	collection: string | null;
	retired: boolean;
}

const oneOf = <T extends string>(value: string | null, choices: readonly T[]): T | null =>
	choices.includes(value as T) ? (value as T) : null;

export function readFilters(url: URL): LibraryFilters {
	const get = (name: string) => url.searchParams.get(name);
	return {
		q: (get('q') ?? '').trim().slice(0, 100),
		topic: oneOf(get('topic'), TOPICS),
		language: oneOf(get('language'), LANGUAGES),
		kind: oneOf(get('kind'), KINDS),
		collection: (get('collection') ?? '').trim().slice(0, 80) || null,
		retired: get('retired') === '1'
	};
}

/**
 * A library's page in one request (open_library(), as the caller, under the
 * policies): browse_library() with the filters, the collections (folders) in use
 * for the filter and the form's suggestions, and my rights (add; organise). For a
 * space's library also the space's header; null when I am not a member of it.
 * `spaceId` null is the shared library.
 */
export async function openLibrary(supabase: Client, spaceId: string | null, filters: LibraryFilters) {
	const { data, error } = await supabase.rpc('open_library', {
		...(spaceId ? { p_space: spaceId } : {}),
		...(filters.q ? { p_query: filters.q } : {}),
		...(filters.topic ? { p_topic: filters.topic } : {}),
		...(filters.language ? { p_language: filters.language } : {}),
		...(filters.kind ? { p_kind: filters.kind } : {}),
		...(filters.collection ? { p_collection: filters.collection } : {}),
		p_include_retired: filters.retired,
		p_limit: 100
	});
	if (error) throw error;
	if (!data) return null;
	const page = data as unknown as {
		space: MemberSpace | null;
		items: LibraryItem[];
		collections: string[];
		rights: { canAdd?: boolean; canCurate?: boolean } | null;
	};
	return {
		space: page.space,
		items: page.items.map((row) => ({ ...row, languages: languagesOf(row.languages) })),
		collections: [...new Set(page.collections)].sort((a, b) => a.localeCompare(b)),
		canAdd: page.rights?.canAdd === true,
		canCurate: page.rights?.canCurate === true
	};
}

/**
 * A library resource's page in one call (open_library_resource(), as the caller):
 * for a space's library the space's header (null when I am not a member), the
 * resource with its versions (newest first) and the threads it is attached to
 * (null when I may not read it or it is in another library), my rights on it and
 * the threads it may be attached to.
 */
export async function openLibraryResource(supabase: Client, spaceId: string | null, resourceId: string) {
	// null = the shared library (the generated types cannot say the argument may be null)
	const { data, error } = await supabase.rpc('open_library_resource', {
		p_space: spaceId as string,
		p_resource: resourceId
	});
	if (error) throw error;
	if (!data) return null;
	const page = data as unknown as {
		space: MemberSpace | null;
		resource:
			| (Resource & {
					creator: string | null;
					files: (FileRow & { uploader: string | null })[];
					attachments: ResourceAttachment[];
			  })
			| null;
		rights: { canAdd?: boolean; canCurate?: boolean; canEdit?: boolean } | null;
		threads: { id: string; title: string; space_id: string; spaceName: string }[];
	};
	let detail = null;
	if (page.resource) {
		const { creator, files, attachments, ...resource } = page.resource;
		detail = {
			resource: { ...resource, languages: languagesOf(resource.languages) },
			files: files.map((f) => ({ ...f, has_thumb: !!f.thumb_path, uploader: f.uploader ?? '' })),
			creator: creator ?? '',
			attachments
		};
	}
	return {
		space: page.space,
		detail,
		// The buttons shown follow the rules; RLS still decides every write.
		rights: {
			canAdd: page.rights?.canAdd === true,
			canCurate: page.rights?.canCurate === true,
			canEdit: page.rights?.canEdit === true
		},
		threads: page.threads
	};
}

type ResourceAttachment = {
	id: string;
	attachedBy: string | null;
	thread: { id: string; title: string; space_id: string };
};

type Resource = Pick<
	Database['public']['Tables']['library_resources']['Row'],
	| 'id'
	| 'space_id'
	| 'title'
	| 'description'
	| 'topic'
	| 'languages'
	| 'collection'
	| 'url'
	| 'featured'
	| 'retired_at'
	| 'created_by'
	| 'created_at'
	| 'updated_at'
>;
type FileRow = Pick<
	Database['public']['Tables']['library_files']['Row'],
	'id' | 'version' | 'file_name' | 'mime_type' | 'size_bytes' | 'thumb_path' | 'uploaded_by' | 'created_at'
>;

export type ResourceDetail = NonNullable<
	NonNullable<Awaited<ReturnType<typeof openLibraryResource>>>['detail']
>;

export interface UploadedFile {
	fileId: string;
	fileName: string;
	withThumb: boolean;
}

export const addResource = (
	supabase: Client,
	spaceId: string | null,
	values: ResourceValues,
	file: UploadedFile | null
) =>
	supabase.rpc('add_library_resource', {
		p_id: values.id,
		p_title: values.title,
		...(spaceId ? { p_space: spaceId } : {}),
		p_description: values.description,
		p_topic: values.topic,
		// A Postgres array literal: see values.ts.
		p_languages: pgArray(values.languages) as never,
		p_collection: values.collection,
		...(values.kind === 'link' ? { p_url: values.url } : {}),
		...(file ? { p_file_id: file.fileId, p_file_name: file.fileName, p_with_thumb: file.withThumb } : {})
	});

export const addVersion = (supabase: Client, resourceId: string, file: UploadedFile) =>
	supabase.rpc('add_library_version', {
		p_resource: resourceId,
		p_file_id: file.fileId,
		p_file_name: file.fileName,
		p_with_thumb: file.withThumb
	});

export const updateResource = (
	supabase: Client,
	resourceId: string,
	values: ResourceValues,
	isLink: boolean
) =>
	supabase
		.from('library_resources')
		.update({
			title: values.title,
			description: values.description,
			topic: values.topic,
			languages: pgArray(values.languages) as never,
			collection: values.collection,
			...(isLink ? { url: values.url } : {})
		})
		.eq('id', resourceId)
		.select('id');

export const setResourceFlags = (
	supabase: Client,
	resourceId: string,
	flags: { featured?: boolean; retired?: boolean }
) =>
	supabase
		.from('library_resources')
		.update({
			...(flags.featured === undefined ? {} : { featured: flags.featured }),
			...(flags.retired === undefined ? {} : { retired_at: flags.retired ? new Date().toISOString() : null })
		})
		.eq('id', resourceId)
		.select('id');

export const removeObjects = (supabase: Client, paths: string[]) =>
	paths.length
		? supabase.storage.from(LIBRARY_BUCKET).remove(paths)
		: Promise.resolve({ data: [], error: null });

/**
 * Deletes the resource (its versions go with it), then its files: once the
 * rows are gone the files are unregistered, and the library's curators may
 * remove them. A file left behind is invisible and harmless.
 */
export async function deleteResource(supabase: Client, resourceId: string) {
	const { data: files } = await supabase
		.from('library_files')
		.select('object_path, thumb_path')
		.eq('resource_id', resourceId);
	const deleted = await supabase.from('library_resources').delete().eq('id', resourceId).select('id');
	if (deleted.error || !deleted.data?.length) return { ok: false, error: deleted.error };
	await removeObjects(
		supabase,
		(files ?? []).flatMap((f) => [f.object_path, ...(f.thumb_path ? [f.thumb_path] : [])])
	);
	return { ok: true, error: null };
}

/** Recent threads a resource may be attached to: its own space's, or (shared library) any of mine. */
export const attachToThread = (supabase: Client, resourceId: string, threadId: string, userId: string) =>
	supabase
		.from('library_attachments')
		.insert({ resource_id: resourceId, thread_id: threadId, attached_by: userId });

export const detach = (supabase: Client, attachmentId: string) =>
	supabase.from('library_attachments').delete().eq('id', attachmentId).select('id');

/**
 * A resource attached to a thread, with its newest file, as thread_attachments()
 * gives it (the thread page gets the list from open_thread(): $lib/threads/queries).
 */
export type ThreadAttachment = {
	attachmentId: string;
	attachedBy: string | null;
	resource: Pick<
		Database['public']['Tables']['library_resources']['Row'],
		'id' | 'space_id' | 'title' | 'url'
	>;
	file: Pick<
		Database['public']['Tables']['library_files']['Row'],
		'id' | 'resource_id' | 'version' | 'file_name' | 'mime_type' | 'size_bytes'
	> | null;
};

/**
 * "Saved for offline" on a phone, told to the server (the programme counts it):
 * one row per item and person, so a second save or a replay is stored once.
 */
export const recordSave = (supabase: Client, resourceId: string) =>
	supabase
		.from('library_saves')
		.upsert({ resource_id: resourceId }, { onConflict: 'resource_id,user_id', ignoreDuplicates: true });
