import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { refuse } from '$lib/ui/form';
import { draftHistory, draftVersions, saveTemplate, saveVersion } from '$lib/drafts/queries';
import { compactNow } from '$lib/drafts/compactor.server';
import { readNameForm } from '$lib/drafts/form';
import { draftProblem } from '$lib/drafts/problems';
import { DRAFT_TITLE_MAX } from '$lib/drafts/limits';

export const load = (async ({ locals, params, parent }) => {
	const [{ space }, versions, history] = await Promise.all([
		parent(),
		draftVersions(locals.supabase, params.draftId),
		draftHistory(locals.supabase, params.draftId)
	]);
	return { versions, history, canSaveTemplate: space.myRole === 'facilitator' };
}) satisfies PageServerLoad;

export const actions = {
	// A version is the compacted state: the compactor folds the log in first so it holds every edit so far.
	save: async ({ request, locals, params }) => {
		const { values, problems, ok } = readNameForm(await request.formData());
		if (!ok) return refuse(400, problems, { values });
		await compactNow(params.draftId);
		const { error } = await saveVersion(locals.supabase, {
			id: values.id,
			draftId: params.draftId,
			name: values.name
		});
		if (error) return refuse(400, draftProblem(error), { values });
		return { saved: values.id };
	},
	template: async ({ request, locals, params }) => {
		const form = await request.formData();
		const { values, problems, ok } = readNameForm(form, 'template_name', DRAFT_TITLE_MAX);
		if (!ok) return refuse(400, { template_name: problems.template_name }, { templateValues: values });
		await compactNow(params.draftId);
		const { error } = await saveTemplate(locals.supabase, {
			id: values.id,
			draftId: params.draftId,
			title: values.name,
			network: form.get('network') === '1'
		});
		if (error) return fail(400, { templateValues: values, problems: { template_name: draftProblem(error) } });
		return { templateSaved: true };
	}
} satisfies Actions;
