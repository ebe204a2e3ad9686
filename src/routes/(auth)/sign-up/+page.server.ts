import { redirect } from '@sveltejs/kit';
import { hasProblems, type Problems, refuse } from '$lib/ui/form';
import type { Actions, PageServerLoad } from './$types';
import { signUpRefusal } from '$lib/auth/errors';
import { takeSignUp } from '$lib/auth/throttle.server';
import { readDisplayName, readEmail, readPassword } from '$lib/auth/validation';
import { getLocale } from '$lib/paraglide/runtime';
import { withInvite } from '$lib/spaces/invite-code';
import {
	carried,
	invitationFrom,
	inviteMetadata,
	joinAfterSignIn,
	rememberInvite
} from '$lib/spaces/invitation.server';

export const load = (async ({ locals, url }) => {
	const invitation = await invitationFrom(locals.supabase, url);
	if (await locals.getUser()) {
		const code = carried(invitation);
		redirect(303, code ? `/join?code=${code}` : '/');
	}
	return { invitation };
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const { request, locals, url, cookies } = event;
		const form = await request.formData();
		const problems: Problems = {};
		const display_name = readDisplayName(form, problems);
		const email = readEmail(form, problems);
		const password = readPassword(form, problems);
		const values = { display_name, email };
		if (hasProblems(problems)) return refuse(400, problems, { values });
		const paused = await takeSignUp(event);
		if (paused) return refuse(429, paused, { values });

		const invite = carried(await invitationFrom(locals.supabase, url));
		const { data, error } = await locals.supabase.auth.signUp({
			email,
			password,
			// The invite stays with the new account until it first signs in (confirmed in another browser too).
			options: { data: { display_name, preferred_language: getLocale(), ...inviteMetadata(invite) } }
		});
		if (error) {
			const { field, message } = signUpRefusal(error);
			return refuse(400, { [field]: message }, { values });
		}
		// An address that already has an account gets the same answer as a new one
		// (hosted Supabase and the local stack both answer with a user that has no
		// identities, and send nothing): the code page, which says that a code comes
		// only for a new address. So nobody can learn who has an account here.
		if (data.session) redirect(303, invite ? await joinAfterSignIn(locals.supabase, invite) : '/');
		// The emailed link, opened in this browser, can finish the join too (the code page carries it itself).
		if (invite) rememberInvite(cookies, invite, email);
		redirect(303, withInvite(`/verify?type=signup&email=${encodeURIComponent(email)}`, invite));
	}
} satisfies Actions;

// No client code: the form (or the links) work as plain HTML, so the page ships no JavaScript (issue 14).
export const csr = false;
