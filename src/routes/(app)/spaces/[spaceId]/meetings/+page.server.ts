import { randomBytes } from 'node:crypto';
import type { Actions, PageServerLoad } from './$types';
import { refuse } from '$lib/ui/form';
import { isModerator } from '$lib/vocabulary';
import { m } from '$lib/paraglide/messages';
import { readDeclaration } from '$lib/meetings/form';
import { meetingProblem } from '$lib/meetings/problems';
import {
	calendarToken,
	meetingHistory,
	myDeclaration,
	nextAndLast,
	resetCalendarToken,
	saveDeclaration,
	spaceElections,
	spaceEvaluations,
	spacePolls,
	upcomingMeetings
} from '$lib/meetings/queries';

export const load = (async ({ locals, params, parent, url }) => {
	const [{ space }, upcoming, history, cadence, polls, elections, evaluations, token, declaration] =
		await Promise.all([
			parent(),
			upcomingMeetings(locals.supabase, params.spaceId),
			meetingHistory(locals.supabase, params.spaceId),
			nextAndLast(locals.supabase, params.spaceId),
			spacePolls(locals.supabase, params.spaceId),
			spaceElections(locals.supabase, params.spaceId),
			spaceEvaluations(locals.supabase, params.spaceId),
			calendarToken(locals.supabase),
			myDeclaration(locals.supabase)
		]);
	return {
		moderator: isModerator(space.myRole),
		canCallElections: space.myRole === 'facilitator' || space.myRole === 'leader',
		upcoming,
		history,
		last: cadence.last,
		polls,
		elections,
		evaluations,
		feedUrl: token ? `${url.origin}/calendar/${token}.ics` : null,
		declaration
	};
}) satisfies PageServerLoad;

export const actions = {
	calendar: async ({ locals }) => {
		const user = await locals.getUser();
		if (!user) return refuse(401, m.signed_out(), { action: 'calendar' });
		const { error } = await resetCalendarToken(
			locals.supabase,
			user.id,
			randomBytes(24).toString('base64url')
		);
		if (error) return refuse(400, meetingProblem(error), { action: 'calendar' });
		return { action: 'calendar', saved: true };
	},
	declare: async ({ request, locals }) => {
		const user = await locals.getUser();
		if (!user) return refuse(401, m.signed_out(), { action: 'declare' });
		const { woman, disability } = readDeclaration(await request.formData());
		const { error } = await saveDeclaration(locals.supabase, user.id, woman, disability);
		if (error) return refuse(400, meetingProblem(error), { action: 'declare' });
		return { action: 'declare', saved: true };
	}
} satisfies Actions;
