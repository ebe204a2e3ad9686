import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { refuse } from '$lib/ui/form';
import { isModerator } from '$lib/vocabulary';
import { readPollForm } from '$lib/meetings/form';
import { meetingProblem } from '$lib/meetings/problems';
import { createPoll } from '$lib/meetings/queries';

export const load = (async ({ parent }) => {
	const { space } = await parent();
	if (!isModerator(space.myRole)) error(403, 'Only facilitators, leaders and deputies ask polls');
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals, params }) => {
		const { values, problems, ok } = readPollForm(await request.formData());
		if (!ok || !values.closesAt) return refuse(400, problems, { values });
		const { error: failed } = await createPoll(locals.supabase, {
			...values,
			closesAt: values.closesAt,
			spaceId: params.spaceId
		});
		if (failed) return refuse(400, meetingProblem(failed), { values });
		redirect(303, `/spaces/${params.spaceId}/meetings/polls/${values.id}`);
	}
} satisfies Actions;
