// One guest invite on a printable page (QR code, link, code spelled out), in the dialogue's language.
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { isUuid } from '$lib/ui/form';
import { dialogueInvite, dialogueOverview } from '$lib/dialogues/queries';
import { inviteMessage } from '$lib/spaces/share';

export const load = (async ({ locals, params, url }) => {
	if (!isUuid(params.dialogueId) || !isUuid(params.inviteId)) error(404, 'Not found');
	const [overview, invite] = await Promise.all([
		dialogueOverview(locals.supabase, params.dialogueId),
		// Conveners only, by the policies; anyone else: not found.
		dialogueInvite(locals.supabase, params.dialogueId, params.inviteId)
	]);
	if (!overview || !invite) error(404, 'Not found');
	const message = inviteMessage({
		origin: url.origin,
		code: invite.code,
		lang: overview.language,
		kind: 'dialogue',
		title: overview.title,
		space: overview.space_name
	});
	return { overview, invite, message };
}) satisfies PageServerLoad;
