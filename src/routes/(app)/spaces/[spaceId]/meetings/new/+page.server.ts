import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { refuse } from '$lib/ui/form';
import { isModerator } from '$lib/vocabulary';
import { m } from '$lib/paraglide/messages';
import { formatMeeting } from '$lib/i18n/format';
import { members, spaceForMember } from '$lib/spaces/queries';
import { readPlanForm } from '$lib/meetings/form';
import { meetingProblem } from '$lib/meetings/problems';
import { attachMaterials, handouts, planMeeting } from '$lib/meetings/queries';

export const load = (async ({ locals, params, parent }) => {
	const [{ space }, people, library] = await Promise.all([
		parent(),
		members(locals.supabase, params.spaceId),
		handouts(locals.supabase, params.spaceId)
	]);
	if (!isModerator(space.myRole)) error(403, 'Only facilitators, leaders and deputies plan meetings');
	return { people, library };
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals, params, url }) => {
		const { values, problems, ok } = readPlanForm(await request.formData());
		if (!ok || !values.startsAt) return refuse(400, problems, { values });
		const [user, space] = await Promise.all([
			locals.getUser(),
			spaceForMember(locals.supabase, params.spaceId)
		]);
		if (!user || !space) return refuse(401, m.signed_out(), { values });
		// The notice members read in the discussions, in the space's language, with the way to the meeting.
		const locale = { locale: space.primary_language };
		const link = `${url.origin}/spaces/${params.spaceId}/meetings/${values.id}`;
		const notice = [
			values.message,
			m.meeting_notice_when({ when: formatMeeting(values.startsAt, space.primary_language) }, locale),
			values.venue ? m.meeting_notice_where({ venue: values.venue }, locale) : '',
			...values.agenda.map((item) => `- ${item.title}`),
			m.meeting_notice_answer({}, locale),
			link
		]
			.filter(Boolean)
			.join('\n');
		const { error: failed } = await planMeeting(locals.supabase, {
			id: values.id,
			spaceId: params.spaceId,
			topic: values.topic,
			startsAt: values.startsAt,
			duration: values.duration,
			venue: values.venue,
			notice,
			agenda: values.agenda,
			resourceMember: values.resourceMember,
			resourceNote: values.resourceNote
		});
		if (failed) return refuse(400, meetingProblem(failed), { values });
		const attached = await attachMaterials(locals.supabase, values.id, user.id, values.materials);
		if (attached.error) return refuse(400, meetingProblem(attached.error), { values });
		redirect(303, `/spaces/${params.spaceId}/meetings/${values.id}`);
	}
} satisfies Actions;
