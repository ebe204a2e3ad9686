// One agreed action: what, who, by when, its history of progress, and the
// form the responsible party or a convener reports on (with a photo or file).
import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';
import { LIVE } from '$lib/keys';
import { isUuid, refuse } from '$lib/ui/form';
import { submittedFile } from '$lib/library/form';
import { actionDetail, actionFilePath, dialogueOverview, postActionUpdate } from '$lib/dialogues/queries';
import { readUpdateForm } from '$lib/dialogues/form';
import { dialogueProblem } from '$lib/dialogues/problems';
import { actionFileName, removeActionFile, storeActionFile } from '$lib/dialogues/files.server';

export const load = (async ({ locals, params, depends }) => {
	depends(LIVE.dialogue);
	if (!isUuid(params.dialogueId) || !isUuid(params.actionId)) error(404, 'Not found');
	const [overview, detail] = await Promise.all([
		dialogueOverview(locals.supabase, params.dialogueId),
		actionDetail(locals.supabase, params.actionId)
	]);
	if (!overview || !detail || detail.action.dialogue_id !== overview.id) error(404, 'Not found');
	const user = await locals.getUser();
	return { overview, ...detail, userId: user?.id ?? '', loadedAt: Date.now() };
}) satisfies PageServerLoad;

export const actions = {
	update: async ({ request, locals, params }) => {
		const form = await request.formData();
		const { values, problems, ok } = readUpdateForm(form);
		const file = submittedFile(form);
		if (!ok) return refuse(400, problems, { values });
		// Signed out (the session ended): the outbox keeps it until she signs in again.
		if (!(await locals.getUser())) return refuse(401, m.signed_out(), { values });
		if (!values.body && !values.status && !file)
			return refuse(400, { body: m.action_error_empty_update() }, { values });
		const path = actionFilePath(params.dialogueId, params.actionId, values.id);
		if (file) {
			const refused = await storeActionFile(locals.supabase, path, file);
			if (refused) return refuse(400, { file: refused }, { values });
		}
		const { error: failed } = await postActionUpdate(locals.supabase, {
			...values,
			actionId: params.actionId,
			withFile: !!file,
			fileName: file ? actionFileName(file.name) : null
		});
		if (failed) {
			if (file) await removeActionFile(locals.supabase, path);
			return refuse(400, dialogueProblem(failed), { values });
		}
		return { updated: true };
	}
} satisfies Actions;
