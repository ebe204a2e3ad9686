import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { refuse } from '$lib/ui/form';
import { readElectionForm } from '$lib/meetings/form';
import { meetingProblem } from '$lib/meetings/problems';
import { createElection } from '$lib/meetings/queries';

export const load = (async ({ parent }) => {
	const { space } = await parent();
	if (space.myRole !== 'facilitator' && space.myRole !== 'leader')
		error(403, 'Only facilitators and leaders call elections');
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals, params }) => {
		const { values, problems, ok } = readElectionForm(await request.formData());
		if (!ok || !values.opensAt || !values.closesAt) return refuse(400, problems, { values });
		const { error: failed } = await createElection(locals.supabase, {
			...values,
			opensAt: values.opensAt,
			closesAt: values.closesAt,
			spaceId: params.spaceId
		});
		if (failed) return refuse(400, meetingProblem(failed), { values });
		redirect(303, `/spaces/${params.spaceId}/meetings/elections/${values.id}`);
	}
} satisfies Actions;
