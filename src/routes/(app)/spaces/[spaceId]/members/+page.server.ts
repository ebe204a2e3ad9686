import { SPACE_ROLES, isModerator } from '$lib/vocabulary';
import { m } from '$lib/paraglide/messages';
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { isConfirmed, isUuid, readChoice, refuse, readString } from '$lib/ui/form';
import { readInviteForm } from '$lib/spaces/invite-form';
import { inviteMessage } from '$lib/spaces/share';
import { databaseProblem } from '$lib/supabase/problems';
import {
	activeInvites,
	changeRole,
	createInvite,
	handOver,
	members,
	removeMember,
	revokeInvite
} from '$lib/spaces/queries';

export const load = (async ({ locals, parent, url }) => {
	const { space } = await parent();
	const [people, invites] = await Promise.all([
		members(locals.supabase, space.id),
		isModerator(space.myRole) ? activeInvites(locals.supabase, space.id) : Promise.resolve([])
	]);
	// The message each invite is shared with, in the space's language.
	const message = (code: string) =>
		inviteMessage({
			origin: url.origin,
			code,
			lang: space.primary_language,
			kind: 'space',
			name: space.name
		});
	return { people, invites: invites.map((invite) => ({ ...invite, message: message(invite.code) })) };
}) satisfies PageServerLoad;

const memberId = (form: FormData) => {
	const id = readString(form, 'user_id');
	return isUuid(id) ? id : null;
};
const failure = (action: string, error: Parameters<typeof databaseProblem>[0]) =>
	refuse(400, databaseProblem(error), { action });

export const actions = {
	invite: async ({ request, locals, params }) => {
		const user = await locals.getUser();
		const { values, problems, ok } = readInviteForm(await request.formData());
		if (!ok || !user) return refuse(400, problems, { action: 'invite', values });
		const { error } = await createInvite(locals.supabase, {
			spaceId: params.spaceId,
			userId: user.id,
			...values
		});
		if (error) return refuse(400, databaseProblem(error), { action: 'invite', values });
		return { action: 'invite', created: true };
	},
	revoke: async ({ request, locals, params }) => {
		const id = readString(await request.formData(), 'invite_id');
		const { data, error } = isUuid(id)
			? await revokeInvite(locals.supabase, params.spaceId, id)
			: { data: null, error: null };
		if (error || !data?.length) return failure('revoke', error);
		return { action: 'revoke' };
	},
	role: async ({ request, locals, params }) => {
		const form = await request.formData();
		const target = memberId(form);
		const role = readChoice(form, 'role', SPACE_ROLES, 'member');
		const { data, error } = target
			? await changeRole(locals.supabase, params.spaceId, target, role)
			: { data: null, error: null };
		if (error || !data?.length) return failure('role', error);
		return { action: 'role', saved: true };
	},
	remove: async ({ request, locals, params }) => {
		const form = await request.formData();
		if (!isConfirmed(form)) return refuse(400, m.error_confirm_first(), { action: 'remove' });
		const target = memberId(form);
		const { data, error } = target
			? await removeMember(locals.supabase, params.spaceId, target)
			: { data: null, error: null };
		if (error || !data?.length) return failure('remove', error);
		return { action: 'remove', removed: true };
	},
	handOver: async ({ request, locals, params }) => {
		const form = await request.formData();
		if (!isConfirmed(form)) return refuse(400, m.error_confirm_first(), { action: 'handOver' });
		const target = memberId(form);
		const { error } = target ? await handOver(locals.supabase, params.spaceId, target) : { error: null };
		if (error || !target) return failure('handOver', error);
		return { action: 'handOver', saved: true };
	},
	leave: async ({ request, locals, params }) => {
		if (!isConfirmed(await request.formData()))
			return refuse(400, m.error_confirm_first(), { action: 'leave' });
		const user = await locals.getUser();
		if (!user) return refuse(401, m.error_not_allowed(), { action: 'leave' });
		const { data, error } = await removeMember(locals.supabase, params.spaceId, user.id);
		if (error || !data?.length) return failure('leave', error);
		redirect(303, '/?left=1');
	}
} satisfies Actions;
