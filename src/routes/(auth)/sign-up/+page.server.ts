import { fail, redirect } from '@sveltejs/kit';
import { formProblem } from '$lib/ui/form';
import type { Actions, PageServerLoad } from './$types';
import { signUpProblem } from '$lib/auth/errors';
import {
	hasProblems,
	readDisplayName,
	readEmail,
	readPassword,
	type FieldProblems
} from '$lib/auth/validation';
import { problem } from '$lib/i18n/problem';
import { getLocale } from '$lib/paraglide/runtime';

export const load = (async ({ locals }) => {
	if (await locals.getUser()) redirect(303, '/');
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals }) => {
		const form = await request.formData();
		const problems: FieldProblems = {};
		const display_name = readDisplayName(form, problems);
		const email = readEmail(form, problems);
		const password = readPassword(form, problems);
		const values = { display_name, email };
		if (hasProblems(problems)) return fail(400, { values, problems });

		const { data, error } = await locals.supabase.auth.signUp({
			email,
			password,
			options: { data: { display_name, preferred_language: getLocale() } }
		});
		if (error) {
			const p = signUpProblem(error);
			const field = p.key.startsWith('error_password')
				? 'password'
				: p.key === 'error_email_invalid'
					? 'email'
					: 'form';
			return fail(400, { values, problems: { [field]: p } as FieldProblems });
		}
		// Hosted Supabase answers a sign-up for an existing address with a user
		// that has no identities (see signUpProblem).
		if (data.user && data.user.identities?.length === 0) {
			return fail(400, { values, problems: formProblem(problem('error_signup_blocked')) });
		}
		if (data.session) redirect(303, '/');
		redirect(303, `/verify?type=signup&email=${encodeURIComponent(email)}`);
	}
} satisfies Actions;
