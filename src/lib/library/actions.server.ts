// The library's form actions, shared by the space library and the shared
// (network) library routes. Every write is made as the person (RLS and the
// bucket decide); refusals come back as { action, values, problems }.
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { problem, type Problem } from '$lib/i18n/problem';
import { formProblem, isUuid, type Problems } from '$lib/ui/form';
import { databaseProblem } from '$lib/spaces/problems';
import { refusalKind } from '$lib/supabase/errors';
import type { Client } from '$lib/supabase/types';
import { checkFile, readResourceForm, submittedFile } from './form';
import { LIBRARY_BUCKET, objectPath } from './limits';
import { libraryProblems, storageProblem } from './problems';
import {
	addResource,
	addVersion,
	attachToThread,
	deleteResource,
	detach,
	removeObjects,
	setResourceFlags,
	updateResource,
	type UploadedFile
} from './queries';

/** Where a library lives: a space, or the shared library (null). */
export function scopeOf(event: RequestEvent): string | null {
	const spaceId = event.params.spaceId;
	if (spaceId === undefined) return null;
	if (!isUuid(spaceId)) error(404, 'Not found');
	return spaceId.toLowerCase();
}

const libraryPath = (spaceId: string | null) => (spaceId ? `/spaces/${spaceId}/library` : '/library');
export const resourcePath = (spaceId: string | null, resourceId: string) =>
	`${libraryPath(spaceId)}/${resourceId}`;

function resourceIdOf(event: RequestEvent): string {
	const id = event.params.resourceId ?? '';
	if (!isUuid(id)) error(404, 'Not found');
	return id.toLowerCase();
}

/** A file the browser already uploaded (JavaScript on): only its id and name arrive. */
function uploadedInBrowser(form: FormData): UploadedFile | null {
	const fileId = String(form.get('file_id') ?? '');
	if (!isUuid(fileId)) return null;
	return {
		fileId: fileId.toLowerCase(),
		fileName:
			String(form.get('file_name') ?? '')
				.trim()
				.slice(0, 200) || 'file',
		withThumb: form.get('with_thumb') === '1'
	};
}

/** No JavaScript: the file came with the form; the server uploads it as the person. */
async function uploadHere(
	supabase: Client,
	path: (fileId: string) => string,
	file: File
): Promise<UploadedFile | Problem> {
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
	if (storageError) return storageProblem((storageError as { statusCode?: string }).statusCode, file.name);
	return { fileId, fileName: file.name.slice(0, 200) || 'file', withThumb: false };
}

/** The file of this submission, uploaded either way, or the reason it is not. */
async function fileOf(supabase: Client, form: FormData, path: (fileId: string) => string) {
	const inBrowser = uploadedInBrowser(form);
	if (inBrowser) return inBrowser;
	const posted = submittedFile(form);
	return posted ? uploadHere(supabase, path, posted) : problem('library_error_file_required');
}

const isProblem = (value: UploadedFile | Problem): value is Problem => 'key' in value;

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
		const outcome = Object.keys(problems).length
			? uploadedInBrowser(form)
			: await fileOf(supabase, form, path);
		if (outcome && isProblem(outcome)) problems.file = outcome;
		else file = outcome;
	}
	if (Object.keys(problems).length) {
		await discard(supabase, path, file);
		return fail(400, { action: 'create' as const, values, problems });
	}
	const { error: refused } = await addResource(supabase, spaceId, values, file);
	if (refused) {
		await discard(supabase, path, file);
		return fail(400, { action: 'create' as const, values, problems: libraryProblems(refused) });
	}
	redirect(303, resourcePath(spaceId, values.id));
}

export async function replaceFile(event: RequestEvent) {
	const spaceId = scopeOf(event);
	const resourceId = resourceIdOf(event);
	const supabase = event.locals.supabase;
	const path = (fileId: string) => objectPath(spaceId, resourceId, fileId);
	const outcome = await fileOf(supabase, await event.request.formData(), path);
	if (isProblem(outcome))
		return fail(400, { action: 'replace' as const, problems: { file: outcome } as Problems });
	const { error: refused } = await addVersion(supabase, resourceId, outcome);
	if (refused) {
		await discard(supabase, path, outcome);
		return fail(400, { action: 'replace' as const, problems: libraryProblems(refused) });
	}
	return { action: 'replace' as const, replaced: true };
}

export async function editResource(event: RequestEvent) {
	const resourceId = resourceIdOf(event);
	const { values, problems, ok } = readResourceForm(await event.request.formData());
	if (!ok) return fail(400, { action: 'edit' as const, values, problems });
	const { data, error: refused } = await updateResource(
		event.locals.supabase,
		resourceId,
		values,
		values.kind === 'link'
	);
	if (refused || !data?.length) {
		return fail(400, {
			action: 'edit' as const,
			values,
			problems: refused ? libraryProblems(refused) : formProblem(problem('error_not_allowed'))
		});
	}
	return { action: 'edit' as const, saved: true };
}

export async function setFlags(event: RequestEvent) {
	const resourceId = resourceIdOf(event);
	const form = await event.request.formData();
	const flag = (name: string) => (form.has(name) ? form.get(name) === 'true' : undefined);
	const { data, error: refused } = await setResourceFlags(event.locals.supabase, resourceId, {
		featured: flag('featured'),
		retired: flag('retired')
	});
	if (refused || !data?.length) {
		return fail(403, { action: 'flags' as const, problems: formProblem(databaseProblem(refused)) });
	}
	return { action: 'flags' as const };
}

export async function removeResource(event: RequestEvent) {
	const spaceId = scopeOf(event);
	const resourceId = resourceIdOf(event);
	// Deleting takes every version with it: the form asks for a ticked box (no JavaScript dialog needed).
	if ((await event.request.formData()).get('confirm') !== 'yes') {
		return fail(400, {
			action: 'delete' as const,
			problems: formProblem(problem('library_error_confirm_delete'))
		});
	}
	const { ok, error: refused } = await deleteResource(event.locals.supabase, resourceId);
	if (!ok) return fail(403, { action: 'delete' as const, problems: formProblem(databaseProblem(refused)) });
	redirect(303, libraryPath(spaceId));
}

export async function attach(event: RequestEvent) {
	const resourceId = resourceIdOf(event);
	const threadId = String((await event.request.formData()).get('thread_id') ?? '');
	const user = await event.locals.getUser();
	if (!user || !isUuid(threadId)) {
		return fail(400, {
			action: 'attach' as const,
			problems: formProblem(problem('library_error_choose_thread'))
		});
	}
	const { error: refused } = await attachToThread(event.locals.supabase, resourceId, threadId, user.id);
	if (refused) {
		const already = refusalKind(refused) === 'unique';
		return fail(400, {
			action: 'attach' as const,
			problems: formProblem(already ? problem('library_error_already_attached') : databaseProblem(refused))
		});
	}
	return { action: 'attach' as const, attached: true };
}

export async function detachAttachment(event: RequestEvent) {
	const attachmentId = String((await event.request.formData()).get('attachment_id') ?? '');
	const { data, error: refused } = isUuid(attachmentId)
		? await detach(event.locals.supabase, attachmentId)
		: { data: null, error: null };
	if (refused || !data?.length) {
		return fail(403, { action: 'detach' as const, problems: formProblem(databaseProblem(refused)) });
	}
	return { action: 'detach' as const, detached: true };
}

/** The resource page's actions, the same in a space's library and the shared one. */
export const resourceActions = {
	replace: replaceFile,
	edit: editResource,
	flags: setFlags,
	attach,
	detach: detachAttachment,
	delete: removeResource
};
