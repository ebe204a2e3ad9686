// The QR code of an invite's link, as an SVG image (drawn on the server).
// Endpoints skip the layouts' checks: the policies decide here too (only
// those who may see the invite get its code; anyone else: not found).
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { isUuid } from '$lib/ui/form';
import { spaceInvite } from '$lib/spaces/queries';
import { inviteLink } from '$lib/spaces/share';
import { qrResponse } from '$lib/spaces/qr.server';

export const GET: RequestHandler = async ({ locals, params, url }) => {
	const invite =
		isUuid(params.spaceId) && isUuid(params.inviteId)
			? await spaceInvite(locals.supabase, params.spaceId, params.inviteId)
			: null;
	if (!invite) error(404, 'Not found');
	return qrResponse(inviteLink(url.origin, 'space', invite.code));
};
