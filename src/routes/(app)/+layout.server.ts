// Everything under (app) needs a signed-in person.
import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { normaliseInviteCode, isInviteCode, withInvite } from '$lib/spaces/invite-code';

export const load = (async ({ locals, url }) => {
	const user = await locals.getUser();
	if (!user) {
		// An invite link opened signed out: sign-in (and sign-up from there) say
		// which space invited them and carry the code through (see spaces/invitation.server.ts).
		const code = normaliseInviteCode(url.searchParams.get('code') ?? '');
		if (url.pathname === '/join' && isInviteCode(code)) redirect(303, withInvite('/sign-in', code));
		redirect(303, `/sign-in?next=${encodeURIComponent(url.pathname + url.search)}`);
	}
	return { userId: user.id };
}) satisfies LayoutServerLoad;
