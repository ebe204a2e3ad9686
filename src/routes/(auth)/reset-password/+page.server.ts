import { redirect } from '@sveltejs/kit';
import { hasProblems, type Problems, refuse } from '$lib/ui/form';
import type { Actions } from './$types';
import { authMessage, authRefusal } from '$lib/auth/errors';
import { takeEmail } from '$lib/auth/throttle.server';
import { readEmail } from '$lib/auth/validation';

export const actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const problems: Problems = {};
		const email = readEmail(form, problems);
		if (hasProblems(problems)) return refuse(400, problems, { email });
		const paused = await takeEmail(event, email);
		if (paused) return refuse(429, paused, { email });
		const { error } = await event.locals.supabase.auth.resetPasswordForEmail(email);
		const refused = error ? authRefusal(error) : null;
		if (refused === 'network' || refused === 'rate_limit')
			return refuse(503, authMessage(refused), { email });
		redirect(303, `/reset-password/confirm?email=${encodeURIComponent(email)}`);
	}
} satisfies Actions;

// No client code: the form (or the links) work as plain HTML, so the page ships no JavaScript (issue 14).
export const csr = false;
