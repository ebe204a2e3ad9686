import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { isUuid, refuse } from '$lib/ui/form';
import { m } from '$lib/paraglide/messages';
import { meetingProblem } from '$lib/meetings/problems';
import { openPoll, voteInPoll } from '$lib/meetings/queries';

export const load = (async ({ locals, params }) => {
	const found = isUuid(params.pollId) ? await openPoll(locals.supabase, params.pollId) : null;
	if (!found || found.poll.space_id !== params.spaceId) error(404, 'Not found');
	return found;
}) satisfies PageServerLoad;

export const actions = {
	vote: async ({ request, locals, params }) => {
		const chosen = (await request.formData())
			.getAll('option')
			.filter((v): v is string => typeof v === 'string' && isUuid(v));
		if (!chosen.length) return refuse(400, m.poll_error_choice(), { action: 'vote' });
		const { error: failed } = await voteInPoll(locals.supabase, params.pollId, chosen);
		if (failed) return refuse(400, meetingProblem(failed), { action: 'vote' });
		return { action: 'vote', saved: true };
	}
} satisfies Actions;
