// The concerns raised in a space, for its facilitators only (space_concerns()
// answers nobody else; the page says so rather than showing an empty inbox).
import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { readChoice, readId, readString, readText, refuse, type Problems } from '$lib/ui/form';
import { CONCERN_MAX, CONCERN_STATUSES } from '$lib/concerns/limits';
import { answerConcern, spaceConcerns } from '$lib/concerns/queries';
import { concernProblem } from '$lib/concerns/problems';

export const load = (async ({ locals, params, parent }) => {
	const [{ space }, concerns] = await Promise.all([parent(), spaceConcerns(locals.supabase, params.spaceId)]);
	if (space.myRole !== 'facilitator') error(404, 'Not found');
	return { concerns };
}) satisfies PageServerLoad;

export const actions = {
	answer: async ({ request, locals }) => {
		const form = await request.formData();
		const problems: Problems = {};
		const body = readText(form, 'body', problems, { max: CONCERN_MAX });
		const status = form.get('status') ? readChoice(form, 'status', CONCERN_STATUSES, 'in_review') : null;
		const concernId = readString(form, 'concern_id');
		const id = readId(form);
		const kept = { action: 'answer', body, concernId, id } as const;
		if (Object.keys(problems).length) return refuse(400, problems, kept);
		const { error: failed } = await answerConcern(locals.supabase, id, concernId, body, status);
		if (failed) return refuse(400, concernProblem(failed), kept);
		return { action: 'answer', answered: concernId };
	}
} satisfies Actions;
