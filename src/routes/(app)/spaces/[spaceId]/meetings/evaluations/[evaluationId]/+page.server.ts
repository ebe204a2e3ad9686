import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { isUuid, refuse } from '$lib/ui/form';
import { readEvaluationAnswers } from '$lib/meetings/form';
import { meetingProblem } from '$lib/meetings/problems';
import { answerEvaluation, openEvaluation } from '$lib/meetings/queries';

export const load = (async ({ locals, params }) => {
	const found = isUuid(params.evaluationId)
		? await openEvaluation(locals.supabase, params.evaluationId)
		: null;
	if (!found || found.form.space_id !== params.spaceId) error(404, 'Not found');
	return found;
}) satisfies PageServerLoad;

export const actions = {
	answer: async ({ request, locals, params }) => {
		const found = await openEvaluation(locals.supabase, params.evaluationId);
		if (!found) error(404, 'Not found');
		const { answers, problems, ok } = readEvaluationAnswers(await request.formData(), found.questions);
		if (!ok) return refuse(400, problems, { answers });
		const { error: failed } = await answerEvaluation(locals.supabase, params.evaluationId, answers);
		if (failed) return refuse(400, meetingProblem(failed), { answers });
		return { saved: true };
	}
} satisfies Actions;
