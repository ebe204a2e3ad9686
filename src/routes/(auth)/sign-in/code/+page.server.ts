import { redirect } from '@sveltejs/kit';
import { hasProblems, type Problems, refuse } from '$lib/ui/form';
import type { Actions, PageServerLoad } from './$types';
import { authMessage, authRefusal } from '$lib/auth/errors';
import { takeEmail } from '$lib/auth/throttle.server';
import { readEmail } from '$lib/auth/validation';
import { withInvite } from '$lib/spaces/invite-code';
import { carried, invitationFrom } from '$lib/spaces/invitation.server';

export const load = (async ({ locals, url }) => ({
	invitation: await invitationFrom(locals.supabase, url)
})) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const problems: Problems = {};
		const email = readEmail(form, problems);
		if (hasProblems(problems)) return refuse(400, problems, { email });
		const paused = await takeEmail(event, email);
		if (paused) return refuse(429, paused, { email });
		// Sign-in only: a code never creates an account behind someone's back.
		const { error } = await event.locals.supabase.auth.signInWithOtp({
			email,
			options: { shouldCreateUser: false }
		});
		// Known and unknown addresses get the same answer, so nobody can learn
		// who has an account here; only a failure of ours is said.
		const refused = error ? authRefusal(error) : null;
		if (refused === 'network' || refused === 'rate_limit')
			return refuse(503, authMessage(refused), { email });
		const invite = carried(await invitationFrom(event.locals.supabase, event.url));
		redirect(303, withInvite(`/verify?type=email&email=${encodeURIComponent(email)}`, invite));
	}
} satisfies Actions;

// No client code: the form (or the links) work as plain HTML, so the page ships no JavaScript (issue 14).
export const csr = false;
