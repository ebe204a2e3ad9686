// The library's form actions, shared by the space library and the shared
// (network) library routes. Every write is made as the person (RLS and the
// bucket decide); refusals come back as { action, values, problems }.
import { m } from '$lib/paraglide/messages';
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { isUuid, refuse, readString } from '$lib/ui/form';
import { databaseProblem } from '$lib/supabase/problems';
import { refusalKind } from '$lib/supabase/errors';
import type { Client } from '$lib/supabase/types';
import { checkFile, readResourceForm, submittedFile } from './form';
import { FILE_NAME_MAX, LIBRARY_BUCKET, objectPath } from './limits';
import { stripBidiControls } from '$lib/text/clean';
import { libraryProblems, storageProblem } from './problems';
import { storedContentMatches } from './files.server';
import {
	addResource,
	addVersion,
	attachToThread,
	deleteResource,
	detach,
	recordSave,
	removeObjects,
	setResourceFlags,
	updateResource,
	type UploadedFile
} from './queries';

/** Where a library lives: a space, or the shared library (null). */
export function scopeOf(event: Pick<RequestEvent, 'params'>): string | null {
	const spaceId = event.params.spaceId;
	if (spaceId === undefined) return null;
	if (!isUuid(spaceId)) error(404, 'Not found');
	return spaceId.toLowerCase();
}

const libraryPath = (spaceId: string | null) => (spaceId ? `/spaces/${spaceId}/library` : '/library');
const resourcePath = (spaceId: string | null, resourceId: string) => `${libraryPath(spaceId)}/${resourceId}`;

function resourceIdOf(event: RequestEvent): string {
	const id = event.params.resourceId ?? '';
	if (!isUuid(id)) error(404, 'Not found');
	return id.toLowerCase();
}

/** The name shown for a file: no bidi tricks ("exe.pdf" that is an .exe), within the schema's limit. */
const fileNameOf = (name: string) => stripBidiControls(name).trim().slice(0, FILE_NAME_MAX) || 'file';

/** A file the browser already uploaded (JavaScript on): only its id and name arrive. */
function uploadedInBrowser(form: FormData): UploadedFile | null {
	const fileId = readString(form, 'file_id');
	if (!isUuid(fileId)) return null;
	return {
		fileId: fileId.toLowerCase(),
		fileName: fileNameOf(readString(form, 'file_name')),
		withThumb: form.get('with_thumb') === '1'
	};
}

/** No JavaScript: the file came with the form; the server uploads it as the person. */
async function uploadHere(
	supabase: Client,
	path: (fileId: string) => string,
	file: File
): Promise<UploadedFile | string> {
	const refused = checkFile(file);
	if (refused) return refused;
	const fileId = crypto.randomUUID();
	const { error: storageError } = await supabase.storage
		.from(LIBRARY_BUCKET)
		.upload(path(fileId), new Uint8Array(await file.arrayBuffer()), {
			contentType: file.type || 'application/octet-stream',
			cacheControl: '31536000',
			upsert: false
		});
	if (storageError)
		return storageProblem((storageError as { statusCode?: string }).statusCode, file.name, file.type);
	return { fileId, fileName: fileNameOf(file.name), withThumb: false };
}

/**
 * The file of this submission, uploaded either way, or the reason it is not.
 * What was stored must be what its name says (an .exe named .pdf is removed
 * and refused); a preview that is not a picture is dropped.
 */
async function fileOf(supabase: Client, form: FormData, path: (fileId: string) => string) {
	const posted = submittedFile(form);
	const file = uploadedInBrowser(form) ?? (posted ? await uploadHere(supabase, path, posted) : null);
	if (!file) return m.library_error_file_required();
	if (typeof file === 'string') return file;
	if (!(await storedContentMatches(supabase, path(file.fileId)))) {
		await discard(supabase, path, file);
		return m.library_error_not_what_it_says({ name: file.fileName });
	}
	if (file.withThumb && !(await storedContentMatches(supabase, `${path(file.fileId)}-thumb`))) {
		await removeObjects(supabase, [`${path(file.fileId)}-thumb`]);
		return { ...file, withThumb: false };
	}
	return file;
}

/** Nothing stays stored after a refusal: remove what was uploaded for it. */
const discard = (supabase: Client, path: (fileId: string) => string, file: UploadedFile | null) =>
	file ? removeObjects(supabase, [path(file.fileId), `${path(file.fileId)}-thumb`]) : undefined;

export async function createResource(event: RequestEvent) {
	const spaceId = scopeOf(event);
	const supabase = event.locals.supabase;
	const form = await event.request.formData();
	const { values, problems } = readResourceForm(form);
	const path = (fileId: string) => objectPath(spaceId, values.id, fileId);
	let file: UploadedFile | null = null;
	if (values.kind === 'file') {
		const outcome: UploadedFile | string | null = Object.keys(problems).length
			? uploadedInBrowser(form)
			: await fileOf(supabase, form, path);
		if (typeof outcome === 'string') problems.file = outcome;
		else file = outcome;
	}
	if (Object.keys(problems).length) {
		await discard(supabase, path, file);
		return refuse(400, problems, { action: 'create' as const, values });
	}
	const { error: refused } = await addResource(supabase, spaceId, values, file);
	if (refused) {
		await discard(supabase, path, file);
		return refuse(400, libraryProblems(refused), { action: 'create' as const, values });
	}
	redirect(303, resourcePath(spaceId, values.id));
}

async function replaceFile(event: RequestEvent) {
	const spaceId = scopeOf(event);
	const resourceId = resourceIdOf(event);
	const supabase = event.locals.supabase;
	const path = (fileId: string) => objectPath(spaceId, resourceId, fileId);
	const outcome = await fileOf(supabase, await event.request.formData(), path);
	if (typeof outcome === 'string') return refuse(400, { file: outcome }, { action: 'replace' as const });
	const { error: refused } = await addVersion(supabase, resourceId, outcome);
	if (refused) {
		await discard(supabase, path, outcome);
		return refuse(400, libraryProblems(refused), { action: 'replace' as const });
	}
	return { action: 'replace' as const, replaced: true };
}

async function editResource(event: RequestEvent) {
	const resourceId = resourceIdOf(event);
	const { values, problems, ok } = readResourceForm(await event.request.formData());
	if (!ok) return refuse(400, problems, { action: 'edit' as const, values });
	const { data, error: refused } = await updateResource(
		event.locals.supabase,
		resourceId,
		values,
		values.kind === 'link'
	);
	if (refused || !data?.length) {
		return refuse(400, refused ? libraryProblems(refused) : m.error_not_allowed(), {
			action: 'edit' as const,
			values
		});
	}
	return { action: 'edit' as const, saved: true };
}

async function setFlags(event: RequestEvent) {
	const resourceId = resourceIdOf(event);
	const form = await event.request.formData();
	const flag = (name: string) => (form.has(name) ? form.get(name) === 'true' : undefined);
	const { data, error: refused } = await setResourceFlags(event.locals.supabase, resourceId, {
		featured: flag('featured'),
		retired: flag('retired')
	});
	if (refused || !data?.length) {
		return refuse(403, databaseProblem(refused), { action: 'flags' as const });
	}
	return { action: 'flags' as const };
}

async function removeResource(event: RequestEvent) {
	const spaceId = scopeOf(event);
	const resourceId = resourceIdOf(event);
	// Deleting takes every version with it: the form asks for a ticked box (no JavaScript dialog needed).
	if ((await event.request.formData()).get('confirm') !== 'yes') {
		return refuse(400, m.library_error_confirm_delete(), { action: 'delete' as const });
	}
	const { ok, error: refused } = await deleteResource(event.locals.supabase, resourceId);
	if (!ok) return refuse(403, databaseProblem(refused), { action: 'delete' as const });
	redirect(303, libraryPath(spaceId));
}

export async function attach(event: RequestEvent) {
	const resourceId = resourceIdOf(event);
	const threadId = readString(await event.request.formData(), 'thread_id');
	const user = await event.locals.getUser();
	if (!user || !isUuid(threadId)) {
		return refuse(400, m.library_error_choose_thread(), { action: 'attach' as const });
	}
	const { error: refused } = await attachToThread(event.locals.supabase, resourceId, threadId, user.id);
	if (refused) {
		const already = refusalKind(refused) === 'unique';
		return refuse(400, already ? m.library_error_already_attached() : databaseProblem(refused), {
			action: 'attach' as const
		});
	}
	return { action: 'attach' as const, attached: true };
}

async function detachAttachment(event: RequestEvent) {
	const attachmentId = readString(await event.request.formData(), 'attachment_id');
	const { data, error: refused } = isUuid(attachmentId)
		? await detach(event.locals.supabase, attachmentId)
		: { data: null, error: null };
	if (refused || !data?.length) {
		return refuse(403, databaseProblem(refused), { action: 'detach' as const });
	}
	return { action: 'detach' as const, detached: true };
}

/**
 * The phone saved this item for offline (SaveOffline.svelte): it posts here
 * from the outbox, at once or when it is back online, so this is the one
 * writer whether the network was there or not. Idempotent in the database.
 */
async function savedOffline(event: RequestEvent) {
	const { error: refused } = await recordSave(event.locals.supabase, resourceIdOf(event));
	if (refused) return refuse(403, databaseProblem(refused), { action: 'saved_offline' as const });
	return { action: 'saved_offline' as const, recorded: true };
}

/** The resource page's actions, the same in a space's library and the shared one. */
export const resourceActions = {
	replace: replaceFile,
	edit: editResource,
	flags: setFlags,
	attach,
	detach: detachAttachment,
	delete: removeResource,
	saved_offline: savedOffline
};
