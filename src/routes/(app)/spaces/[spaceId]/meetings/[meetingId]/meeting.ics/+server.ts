import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { isUuid } from '$lib/ui/form';
import { calendar, icsResponse } from '$lib/meetings/ics';
import { spaceForMember } from '$lib/spaces/queries';
import { meetingRow } from '$lib/meetings/queries';

// One meeting for the phone's calendar, for the members of its space (RLS reads it as them).
export const GET: RequestHandler = async ({ locals, params, url }) => {
	if (!isUuid(params.meetingId) || !(await locals.getUser())) error(404, 'Not found');
	const [space, meeting] = await Promise.all([
		spaceForMember(locals.supabase, params.spaceId),
		meetingRow(locals.supabase, params.meetingId)
	]);
	if (!space || !meeting || meeting.space_id !== space.id) error(404, 'Not found');
	const body = calendar(
		[
			{
				uid: meeting.id,
				start: meeting.starts_at,
				minutes: meeting.duration_minutes,
				summary: meeting.topic,
				location: meeting.venue,
				url: `${url.origin}/spaces/${space.id}/meetings/${meeting.id}`,
				cancelled: !!meeting.cancelled_at,
				updated: meeting.updated_at
			}
		],
		space.name
	);
	return icsResponse(body, 'meeting.ics');
};
