import { redirect } from '@sveltejs/kit';
import { hasProblems, type Problems, refuse } from '$lib/ui/form';
import type { Actions } from './$types';
import { authProblem } from '$lib/auth/errors';
import { readEmail } from '$lib/auth/validation';

export const actions = {
	default: async ({ request, locals }) => {
		const form = await request.formData();
		const problems: Problems = {};
		const email = readEmail(form, problems);
		if (hasProblems(problems)) return refuse(400, problems, { email });
		// Sign-in only: a code never creates an account behind someone's back.
		const { error } = await locals.supabase.auth.signInWithOtp({
			email,
			options: { shouldCreateUser: false }
		});
		if (error) return refuse(400, authProblem(error), { email });
		redirect(303, `/verify?type=email&email=${encodeURIComponent(email)}`);
	}
} satisfies Actions;
