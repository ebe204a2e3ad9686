import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { m } from '$lib/paraglide/messages';
import { calendar, icsResponse } from '$lib/meetings/ics';
import { calendarFeed } from '$lib/meetings/queries';

// A person's calendar feed (/calendar/<token>.ics), fetched by calendar apps
// without a session: the secret token is the only key (calendar_feed() answers
// nothing for an unknown one). A sensitive space's meetings say only "Meeting".
export const GET: RequestHandler = async ({ locals, params, url }) => {
	const token = /^([A-Za-z0-9_-]{32,64})\.ics$/.exec(params.file)?.[1];
	if (!token) error(404, 'Not found');
	const meetings = await calendarFeed(locals.supabase, token);
	const body = calendar(
		meetings.map((meeting) => ({
			uid: meeting.id,
			start: meeting.starts_at,
			minutes: meeting.duration_minutes,
			summary: `${meeting.topic ?? m.meeting_generic()} · ${meeting.space_name}`,
			location: meeting.venue ?? undefined,
			url: `${url.origin}/spaces/${meeting.space_id}/meetings/${meeting.id}`,
			cancelled: meeting.cancelled,
			updated: meeting.updated_at
		})),
		m.app_name()
	);
	return icsResponse(body, 'sahakum.ics');
};
