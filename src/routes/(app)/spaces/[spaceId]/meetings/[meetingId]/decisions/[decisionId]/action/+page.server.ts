// A meeting decision becomes an agreed action of one of the space's open
// dialogues, in one step: the dialogue, then what the dialogue's own action
// form asks (who is responsible, who supports, by when). Only those who may
// record agreed actions in the space's dialogues (facilitators and leaders)
// get the form; the database says the same (decision_to_action()).
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { isUuid, refuse } from '$lib/ui/form';
import { spaceDialogues } from '$lib/dialogues/queries';
import { todayInIndochina } from '$lib/dialogues/form';
import { dialogueProblem } from '$lib/dialogues/problems';
import { readDecisionAction } from '$lib/meetings/form';
import { meetingProblem } from '$lib/meetings/problems';
import { decisionForAction, decisionToAction, guestsOfDialogues } from '$lib/meetings/queries';

const meetingPage = (spaceId: string, meetingId: string) =>
	`/spaces/${spaceId}/meetings/${meetingId}#decisions`;

export const load = (async ({ locals, params, parent }) => {
	if (!isUuid(params.meetingId) || !isUuid(params.decisionId)) error(404, 'Not found');
	const { space } = await parent();
	if (space.myRole !== 'facilitator' && space.myRole !== 'leader')
		error(403, 'Only facilitators and leaders record agreed actions');
	const decision = await decisionForAction(locals.supabase, params.meetingId, params.decisionId);
	if (!decision || decision.meetings.space_id !== params.spaceId) error(404, 'Not found');
	if (decision.action_id) redirect(303, meetingPage(params.spaceId, params.meetingId));
	const dialogues = (await spaceDialogues(locals.supabase, params.spaceId)).filter(
		(d) => d.status === 'preparing' || d.status === 'open'
	);
	const guests = await guestsOfDialogues(
		locals.supabase,
		dialogues.map((d) => d.id)
	);
	return {
		meetingId: params.meetingId,
		decision: { id: decision.id, text: decision.text, topic: decision.meetings.topic },
		dialogues: dialogues.map((d) => {
			const theirs = guests.filter((g) => g.dialogue_id === d.id);
			return {
				id: d.id,
				title: d.title,
				guests: theirs,
				organisations: [...new Set(theirs.map((g) => g.organisation))]
			};
		}),
		today: todayInIndochina()
	};
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals, params }) => {
		const { values, problems, ok } = readDecisionAction(await request.formData());
		if (!ok) return refuse(400, problems, { values });
		const { error: failed } = await decisionToAction(locals.supabase, {
			...values,
			decisionId: params.decisionId
		});
		if (failed) {
			// The dialogue's own refusals (owner, due date) in its words; the rest in the meetings'.
			const own = /due_in_past|owner_not_a_guest/.test(failed.message);
			return refuse(400, own ? dialogueProblem(failed) : meetingProblem(failed), { values });
		}
		redirect(303, meetingPage(params.spaceId, params.meetingId));
	}
} satisfies Actions;
