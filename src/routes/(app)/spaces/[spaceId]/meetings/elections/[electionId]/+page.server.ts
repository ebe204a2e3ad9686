import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { isUuid, readString, refuse } from '$lib/ui/form';
import { m } from '$lib/paraglide/messages';
import { members } from '$lib/spaces/queries';
import { meetingProblem } from '$lib/meetings/problems';
import {
	answerCandidacy,
	castBallot,
	moveElectionWindow,
	openElection,
	proposeCandidate,
	publishElection
} from '$lib/meetings/queries';

export const load = (async ({ locals, params }) => {
	if (!isUuid(params.electionId)) error(404, 'Not found');
	const [found, people] = await Promise.all([
		openElection(locals.supabase, params.electionId),
		members(locals.supabase, params.spaceId)
	]);
	if (!found || found.election.space_id !== params.spaceId) error(404, 'Not found');
	// The phase is read against the server's clock, with each load: the window
	// the database just moved (opens_at = now()) shows at once, whatever the phone's clock says.
	return { ...found, people, now: Date.now() };
}) satisfies PageServerLoad;

const done = (action: string) => ({ action, saved: true as const });

export const actions = {
	stand: async ({ request, locals, params }) => {
		const person = readString(await request.formData(), 'person');
		const { error: failed } = await proposeCandidate(locals.supabase, params.electionId, person);
		return failed ? refuse(400, meetingProblem(failed), { action: 'stand' }) : done('stand');
	},
	consent: async ({ request, locals, params }) => {
		const accept = readString(await request.formData(), 'accept') === '1';
		const { error: failed } = await answerCandidacy(locals.supabase, params.electionId, accept);
		return failed ? refuse(400, meetingProblem(failed), { action: 'consent' }) : done('consent');
	},
	vote: async ({ request, locals, params }) => {
		const chosen = (await request.formData())
			.getAll('candidate')
			.filter((v): v is string => typeof v === 'string' && isUuid(v));
		if (!chosen.length) return refuse(400, m.election_error_ballot(), { action: 'vote' });
		const { error: failed } = await castBallot(locals.supabase, params.electionId, chosen);
		return failed ? refuse(400, meetingProblem(failed), { action: 'vote' }) : done('vote');
	},
	window: async ({ request, locals, params }) => {
		const step = readString(await request.formData(), 'step') === 'close' ? 'close' : 'open';
		const { error: failed } = await moveElectionWindow(locals.supabase, params.electionId, step);
		return failed ? refuse(400, meetingProblem(failed), { action: 'window' }) : done('window');
	},
	publish: async ({ locals, params }) => {
		const { error: failed } = await publishElection(locals.supabase, params.electionId);
		return failed ? refuse(400, meetingProblem(failed), { action: 'publish' }) : done('publish');
	}
} satisfies Actions;
