// The convener's page for a dialogue's guests: invite codes (expiry, use
// limit, revoke) and the guests themselves (mute, unmute, remove).
import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';
import { isUuid, readString, refuse } from '$lib/ui/form';
import { readInviteForm } from '$lib/spaces/invite-form';
import {
	createDialogueInvite,
	dialogueDetail,
	dialogueInvites,
	dialogueOverview,
	revokeDialogueInvite,
	setDialogueStatus,
	setGuestState
} from '$lib/dialogues/queries';
import { inviteMessage } from '$lib/spaces/share';
import { dialogueProblem } from '$lib/dialogues/problems';

export const load = (async ({ locals, params, url }) => {
	const user = await locals.getUser();
	if (!user || !isUuid(params.dialogueId)) error(404, 'Not found');
	const [overview, invites, detail] = await Promise.all([
		dialogueOverview(locals.supabase, params.dialogueId),
		dialogueInvites(locals.supabase, params.dialogueId),
		dialogueDetail(locals.supabase, params.dialogueId, user.id)
	]);
	if (!overview || !detail) error(404, 'Not found');
	if (!overview.am_convener) error(403, 'Only the conveners manage guests');
	// The message each invite is shared with, in the dialogue's language.
	const message = (code: string) =>
		inviteMessage({
			origin: url.origin,
			code,
			lang: overview.language,
			kind: 'dialogue',
			title: overview.title,
			space: overview.space_name
		});
	return {
		overview,
		invites: invites.map((invite) => ({ ...invite, message: message(invite.code) })),
		guests: detail.guests
	};
}) satisfies PageServerLoad;

const guestOf = (form: FormData) => {
	const id = readString(form, 'user_id');
	return isUuid(id) ? id : null;
};

export const actions = {
	invite: async ({ request, locals, params }) => {
		const user = await locals.getUser();
		const { values, problems, ok } = readInviteForm(await request.formData());
		if (!ok || !user) return refuse(400, problems, { action: 'invite', values });
		const { error: failed } = await createDialogueInvite(locals.supabase, {
			dialogueId: params.dialogueId,
			days: values.days,
			maxUses: values.maxUses,
			userId: user.id
		});
		if (failed) return refuse(400, dialogueProblem(failed), { action: 'invite', values });
		return { action: 'invite', created: true };
	},
	// A preparing dialogue takes no guest's message: its first invite asks the
	// convener whether to open it now (the conveners' update policy decides).
	open: async ({ locals, params }) => {
		const { data, error: failed } = await setDialogueStatus(locals.supabase, params.dialogueId, 'open');
		if (failed || !data?.length) return refuse(403, dialogueProblem(failed), { action: 'open' });
		return { action: 'open', opened: true };
	},
	revoke: async ({ request, locals }) => {
		const id = readString(await request.formData(), 'invite_id');
		const { data, error: failed } = isUuid(id)
			? await revokeDialogueInvite(locals.supabase, id)
			: { data: null, error: null };
		if (failed || !data?.length) return refuse(400, dialogueProblem(failed), { action: 'revoke' });
		return { action: 'revoke' };
	},
	mute: async ({ request, locals, params }) => {
		const form = await request.formData();
		const guest = guestOf(form);
		const { data, error: failed } = guest
			? await setGuestState(locals.supabase, params.dialogueId, guest, { muted: form.get('muted') === '1' })
			: { data: null, error: null };
		if (failed || !data?.length) return refuse(400, dialogueProblem(failed), { action: 'mute' });
		return { action: 'mute' };
	},
	remove: async ({ request, locals, params }) => {
		const form = await request.formData();
		const guest = guestOf(form);
		// Removing asks for a ticked box: it works without JavaScript, and a slip of the thumb does nothing.
		if (form.get('confirm') !== 'yes')
			return refuse(400, m.dialogue_guest_remove_tick(), { action: 'remove', guest });
		const { data, error: failed } = guest
			? await setGuestState(locals.supabase, params.dialogueId, guest, { removed: true })
			: { data: null, error: null };
		if (failed || !data?.length) return refuse(400, dialogueProblem(failed), { action: 'remove', guest });
		return { action: 'remove' };
	}
} satisfies Actions;
