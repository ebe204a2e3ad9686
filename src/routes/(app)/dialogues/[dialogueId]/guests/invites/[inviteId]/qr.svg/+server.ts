// The QR code of a guest invite's link, as an SVG image (drawn on the server).
// Endpoints skip the layouts' checks: the policies decide here too (only the
// dialogue's conveners see its invites; anyone else: not found).
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { isUuid } from '$lib/ui/form';
import { dialogueInvite } from '$lib/dialogues/queries';
import { inviteLink } from '$lib/spaces/share';
import { qrResponse } from '$lib/spaces/qr.server';

export const GET: RequestHandler = async ({ locals, params, url }) => {
	const invite =
		isUuid(params.dialogueId) && isUuid(params.inviteId)
			? await dialogueInvite(locals.supabase, params.dialogueId, params.inviteId)
			: null;
	if (!invite) error(404, 'Not found');
	return qrResponse(inviteLink(url.origin, 'dialogue', invite.code));
};
