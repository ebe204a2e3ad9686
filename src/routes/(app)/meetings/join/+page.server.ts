import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { refuse } from '$lib/ui/form';
import { readGuestJoin } from '$lib/meetings/form';
import { meetingProblem } from '$lib/meetings/problems';
import { joinMeeting } from '$lib/meetings/queries';

export const load = (({ url }) => ({ code: url.searchParams.get('code') ?? '' })) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals }) => {
		const { values, problems, ok } = readGuestJoin(await request.formData());
		if (!ok) return refuse(400, problems, { values });
		const { data, error } = await joinMeeting(
			locals.supabase,
			values.code,
			values.organisation,
			values.position
		);
		if (error || !data) return refuse(400, meetingProblem(error), { values });
		redirect(303, `/meetings/${data}`);
	}
} satisfies Actions;
