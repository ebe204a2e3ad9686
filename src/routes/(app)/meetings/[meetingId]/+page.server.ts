import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { isUuid } from '$lib/ui/form';
import { meetingForGuest, meetingRow } from '$lib/meetings/queries';

// A meeting's guest resource person reads it here (and nothing else of the
// space); a member opening this address is taken to the club's own page.
export const load = (async ({ locals, params }) => {
	if (!isUuid(params.meetingId)) error(404, 'Not found');
	const [guestView, asMember] = await Promise.all([
		meetingForGuest(locals.supabase, params.meetingId),
		meetingRow(locals.supabase, params.meetingId)
	]);
	if (asMember) redirect(303, `/spaces/${asMember.space_id}/meetings/${params.meetingId}`);
	if (!guestView) error(404, 'Not found');
	return { meeting: guestView };
}) satisfies PageServerLoad;
