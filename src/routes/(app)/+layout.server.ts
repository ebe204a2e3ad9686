// Everything under (app) needs a signed-in person.
import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { normaliseInviteCode, isInviteCode, withInvite } from '$lib/spaces/invite-code';

export const load = (async ({ locals, url }) => {
	const user = await locals.getUser();
	if (!user) {
		// An invite link (a space's, or a dialogue's for its guests) opened signed
		// out: most invitees are new, so sign-up first (with "I already have an
		// account"); both say who invited them and carry the code through
		// (see spaces/invitation.server.ts).
		const code = normaliseInviteCode(url.searchParams.get('code') ?? '');
		if ((url.pathname === '/join' || url.pathname === '/dialogues/join') && isInviteCode(code))
			redirect(303, withInvite('/sign-up', code));
		redirect(303, `/sign-in?next=${encodeURIComponent(url.pathname + url.search)}`);
	}
	return { userId: user.id };
}) satisfies LayoutServerLoad;
