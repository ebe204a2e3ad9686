import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { refuse } from '$lib/ui/form';
import { savedTemplates } from '$lib/drafts/queries';
import { createDraft } from '$lib/drafts/create.server';
import { compactSoon } from '$lib/drafts/compactor.server';
import { readNewDraftForm } from '$lib/drafts/form';
import { draftProblem } from '$lib/drafts/problems';

export const load = (async ({ locals, params }) => ({
	templates: await savedTemplates(locals.supabase, params.spaceId)
})) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals, params }) => {
		const { values, problems, ok } = readNewDraftForm(await request.formData());
		if (!ok) return refuse(400, problems, { values });
		const { error } = await createDraft(locals.supabase, { ...values, spaceId: params.spaceId });
		if (error) return refuse(400, draftProblem(error), { values });
		compactSoon(values.id);
		redirect(303, `/spaces/${params.spaceId}/drafts/${values.id}/edit`);
	}
} satisfies Actions;
