import { redirect } from '@sveltejs/kit';
import { readString, hasProblems, type Problems, refuse } from '$lib/ui/form';
import type { Actions, PageServerLoad } from './$types';
import { authMessage, authRefusal } from '$lib/auth/errors';
import { adoptProfileChoices } from '$lib/auth/session';
import { checkStep, countFailure, countSignedIn } from '$lib/auth/throttle.server';
import { stepUp } from '$lib/auth/step-up.server';
import { readEmail } from '$lib/auth/validation';
import { safeReturnPath } from '$lib/auth/return-path';
import { readInviteParam, withInvite } from '$lib/spaces/invite-code';
import { carried, invitationFrom, joinAfterSignIn } from '$lib/spaces/invitation.server';

export const load = (async ({ locals, url }) => {
	const invitation = await invitationFrom(locals.supabase, url);
	if (await locals.getUser()) {
		const code = carried(invitation);
		redirect(303, code ? `/join?code=${code}` : safeReturnPath(url.searchParams.get('next')));
	}
	return {
		email: url.searchParams.get('email') ?? '',
		signedOut: url.searchParams.has('signed_out'),
		invitation
	};
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const { request, locals, cookies, url } = event;
		const form = await request.formData();
		const problems: Problems = {};
		const email = readEmail(form, problems);
		const password = readString(form, 'password');
		if (hasProblems(problems)) return refuse(400, problems, { email });
		const gate = await checkStep(event, 'password', email);
		if (gate.paused) return refuse(429, gate.paused, { email });
		// Many wrong passwords for this account (from anywhere): the password alone no longer signs in.
		if (gate.stepUp) return stepUp(event, email, password);
		const { data, error } = await locals.supabase.auth.signInWithPassword({ email, password });
		if (error || !data.user) {
			const refused = authRefusal(error);
			if (refused === 'credentials') await countFailure(event, 'password', email);
			if (refused === 'email_not_confirmed') {
				redirect(
					303,
					withInvite(`/verify?type=signup&email=${encodeURIComponent(email)}`, readInviteParam(url))
				);
			}
			return refuse(400, authMessage(refused), { email });
		}
		await countSignedIn(event, email);
		await adoptProfileChoices(locals.supabase, data.user.id, cookies);
		// Only a code that can still be used (the page said so); a removed member's
		// old code is one, and the join page then says why it does not let them in.
		const invite = carried(await invitationFrom(locals.supabase, url));
		redirect(
			303,
			invite ? await joinAfterSignIn(locals.supabase, invite) : safeReturnPath(url.searchParams.get('next'))
		);
	}
} satisfies Actions;

// No client code: the form (or the links) work as plain HTML, so the page ships no JavaScript (issue 14).
export const csr = false;
