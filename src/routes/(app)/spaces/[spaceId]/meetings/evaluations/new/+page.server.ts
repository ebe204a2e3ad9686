import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { refuse } from '$lib/ui/form';
import { isModerator } from '$lib/vocabulary';
import { readEvaluationForm } from '$lib/meetings/form';
import { meetingProblem } from '$lib/meetings/problems';
import { createEvaluation, meetingHistory } from '$lib/meetings/queries';

export const load = (async ({ parent, locals, params }) => {
	const [{ space }, history] = await Promise.all([parent(), meetingHistory(locals.supabase, params.spaceId)]);
	if (!isModerator(space.myRole)) error(403, 'Only facilitators, leaders and deputies make evaluation forms');
	return { meetings: history.filter((h) => !h.cancelled_at).slice(0, 10) };
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals, params }) => {
		const { values, problems, ok } = readEvaluationForm(await request.formData());
		if (!ok) return refuse(400, problems, { values });
		const { error: failed } = await createEvaluation(locals.supabase, { ...values, spaceId: params.spaceId });
		if (failed) return refuse(400, meetingProblem(failed), { values });
		redirect(303, `/spaces/${params.spaceId}/meetings/evaluations/${values.id}`);
	}
} satisfies Actions;
