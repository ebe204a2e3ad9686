import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { isUuid, readString, refuse } from '$lib/ui/form';
import { isModerator } from '$lib/vocabulary';
import { m } from '$lib/paraglide/messages';
import { members } from '$lib/spaces/queries';
import { readParticipants } from '$lib/meetings/form';
import { meetingProblem } from '$lib/meetings/problems';
import { addParticipants, openMeeting, recordAttendance, removeParticipants } from '$lib/meetings/queries';

export const load = (async ({ locals, params, parent }) => {
	if (!isUuid(params.meetingId)) error(404, 'Not found');
	const [{ space }, found, people] = await Promise.all([
		parent(),
		openMeeting(locals.supabase, params.meetingId),
		members(locals.supabase, params.spaceId)
	]);
	if (!found || found.meeting.space_id !== params.spaceId) error(404, 'Not found');
	if (!isModerator(space.myRole)) error(403, 'Only facilitators, leaders and deputies take attendance');
	return {
		meeting: found.meeting,
		counts: found.counts,
		participants: found.participants,
		people,
		present: found.attendance.filter((a) => a.present).map((a) => a.user_id)
	};
}) satisfies PageServerLoad;

// Both actions are replayed by the outbox when the phone was offline in the
// meeting room: a mark sets a state (present or not) and participants carry
// the form's client-made id, so a replay or a second phone stores nothing twice.
export const actions = {
	mark: async ({ request, locals, params }) => {
		const form = await request.formData();
		const person = readString(form, 'person');
		const present = readString(form, 'present') === '1';
		if (!isUuid(person)) return refuse(400, m.error_generic(), { action: 'mark' });
		if (!(await locals.getUser())) return refuse(401, m.signed_out(), { action: 'mark', person });
		const { error: failed } = await recordAttendance(locals.supabase, params.meetingId, person, present);
		if (failed) return refuse(400, meetingProblem(failed), { action: 'mark', person });
		return { action: 'mark', person, present };
	},
	participants: async ({ request, locals, params }) => {
		const { values, problems, ok } = readParticipants(await request.formData());
		if (!ok) return refuse(400, problems, { action: 'participants', values });
		if (!(await locals.getUser())) return refuse(401, m.signed_out(), { action: 'participants', values });
		const { error: failed } = await addParticipants(locals.supabase, {
			...values,
			meetingId: params.meetingId
		});
		if (failed) return refuse(400, meetingProblem(failed), { action: 'participants', values });
		return { action: 'participants', saved: true };
	},
	removeParticipants: async ({ request, locals }) => {
		const id = readString(await request.formData(), 'group');
		const { data, error: failed } = await removeParticipants(locals.supabase, id);
		if (failed || !data?.length) return refuse(400, meetingProblem(failed), { action: 'removeParticipants' });
		return { action: 'removeParticipants' };
	}
} satisfies Actions;
