// One invite on a printable page (QR code, link, code spelled out), in the space's language.
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { isUuid } from '$lib/ui/form';
import { spaceInvite } from '$lib/spaces/queries';
import { inviteMessage } from '$lib/spaces/share';

export const load = (async ({ locals, params, parent, url }) => {
	const { space } = await parent();
	// Only those who may see the invite get it (moderators, by the policies); others: not found.
	const invite = isUuid(params.inviteId)
		? await spaceInvite(locals.supabase, space.id, params.inviteId)
		: null;
	if (!invite) error(404, 'Not found');
	const message = inviteMessage({
		origin: url.origin,
		code: invite.code,
		lang: space.primary_language,
		kind: 'space',
		name: space.name
	});
	return { invite, message };
}) satisfies PageServerLoad;
