import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { isUuid, readString, refuse } from '$lib/ui/form';
import { isModerator } from '$lib/vocabulary';
import { m } from '$lib/paraglide/messages';
import { generateInviteCode } from '$lib/spaces/invite-code';
import { members } from '$lib/spaces/queries';
import { readAgendaItem, readAnswer, readDecision, readMinutes } from '$lib/meetings/form';
import { meetingProblem } from '$lib/meetings/problems';
import {
	addAgendaItem,
	announcementReaders,
	answerMeeting,
	cancelMeeting,
	createMeetingInvite,
	decisionToThread,
	meetingInvites,
	openMeeting,
	recordDecision,
	removeMeetingGuest,
	revokeMeetingInvite,
	saveMinutes,
	saveNotes
} from '$lib/meetings/queries';

export const load = (async ({ locals, params, parent }) => {
	if (!isUuid(params.meetingId)) error(404, 'Not found');
	const [{ space, userId }, found, people] = await Promise.all([
		parent(),
		openMeeting(locals.supabase, params.meetingId),
		members(locals.supabase, params.spaceId)
	]);
	if (!found || found.meeting.space_id !== params.spaceId) error(404, 'Not found');
	const moderator = isModerator(space.myRole);
	const [readers, invites] = moderator
		? await Promise.all([
				found.noticeId ? announcementReaders(locals.supabase, found.noticeId) : null,
				meetingInvites(locals.supabase, params.meetingId)
			])
		: [null, []];
	return {
		...found,
		people,
		moderator,
		// Who may record agreed actions in the space's dialogues (the dialogues' conveners).
		canConvene: space.myRole === 'facilitator' || space.myRole === 'leader',
		readers,
		invites,
		myAnswer: found.rsvps.find((r) => r.user_id === userId)?.answer ?? null
	};
}) satisfies PageServerLoad;

const need = async (locals: App.Locals) => (await locals.getUser()) ?? null;

export const actions = {
	rsvp: async ({ request, locals, params }) => {
		const answer = readAnswer(await request.formData());
		if (!answer) return refuse(400, m.error_generic(), { action: 'rsvp' });
		const { error: failed } = await answerMeeting(locals.supabase, params.meetingId, answer);
		if (failed) return refuse(400, meetingProblem(failed), { action: 'rsvp' });
		return { action: 'rsvp', saved: true };
	},
	minutes: async ({ request, locals, params }) => {
		const { item, minutes, problems, ok } = readMinutes(await request.formData());
		if (!ok) return refuse(400, problems, { action: 'minutes', item, minutes });
		const { data, error: failed } =
			item === 'notes'
				? await saveNotes(locals.supabase, params.meetingId, minutes)
				: await saveMinutes(locals.supabase, item, minutes);
		if (failed || !data?.length)
			return refuse(400, meetingProblem(failed), { action: 'minutes', item, minutes });
		return { action: 'minutes', item, saved: true };
	},
	item: async ({ request, locals, params }) => {
		const { title, owner, problems, ok } = readAgendaItem(await request.formData());
		if (!ok) return refuse(400, problems, { action: 'item', title });
		const { error: failed } = await addAgendaItem(locals.supabase, params.meetingId, title, owner);
		if (failed) return refuse(400, meetingProblem(failed), { action: 'item', title });
		return { action: 'item', saved: true };
	},
	decision: async ({ request, locals, params }) => {
		const { id, item, text, problems, ok } = readDecision(await request.formData());
		if (!ok) return refuse(400, problems, { action: 'decision', id, text });
		const user = await need(locals);
		if (!user) return refuse(401, m.signed_out(), { action: 'decision', id, text });
		const { error: failed } = await recordDecision(locals.supabase, {
			id,
			meetingId: params.meetingId,
			itemId: item,
			text,
			userId: user.id
		});
		if (failed) return refuse(400, meetingProblem(failed), { action: 'decision', id, text });
		return { action: 'decision', saved: true };
	},
	thread: async ({ request, locals, params }) => {
		const form = await request.formData();
		const decision = readString(form, 'decision');
		const text = readString(form, 'text');
		const topic = readString(form, 'topic');
		if (!isUuid(decision)) return refuse(400, m.error_generic(), { action: 'thread' });
		const { data, error: failed } = await decisionToThread(locals.supabase, {
			decisionId: decision,
			threadId: crypto.randomUUID(),
			title: text.slice(0, 200),
			body: m.meeting_decision_thread_body({ topic, text })
		});
		if (failed || !data) return refuse(400, meetingProblem(failed), { action: 'thread' });
		return { action: 'thread', threadId: data, spaceId: params.spaceId };
	},
	invite: async ({ locals, params }) => {
		const user = await need(locals);
		if (!user) return refuse(401, m.signed_out(), { action: 'invite' });
		const { error: failed } = await createMeetingInvite(
			locals.supabase,
			params.meetingId,
			generateInviteCode(),
			user.id
		);
		if (failed) return refuse(400, meetingProblem(failed), { action: 'invite' });
		return { action: 'invite', saved: true };
	},
	revoke: async ({ request, locals }) => {
		const invite = readString(await request.formData(), 'invite');
		const { error: failed } = await revokeMeetingInvite(locals.supabase, invite);
		if (failed) return refuse(400, meetingProblem(failed), { action: 'revoke' });
		return { action: 'revoke', saved: true };
	},
	removeGuest: async ({ request, locals, params }) => {
		const guest = readString(await request.formData(), 'guest');
		const { data, error: failed } = await removeMeetingGuest(locals.supabase, params.meetingId, guest);
		if (failed || !data?.length) return refuse(400, meetingProblem(failed), { action: 'removeGuest' });
		return { action: 'removeGuest', saved: true };
	},
	cancel: async ({ request, locals, params }) => {
		if ((await request.formData()).get('confirm') !== 'yes')
			return refuse(400, m.error_generic(), { action: 'cancel' });
		const { data, error: failed } = await cancelMeeting(locals.supabase, params.meetingId);
		if (failed || !data?.length) return refuse(400, meetingProblem(failed), { action: 'cancel' });
		return { action: 'cancel', saved: true };
	}
} satisfies Actions;
