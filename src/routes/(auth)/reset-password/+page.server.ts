import { fail, redirect } from '@sveltejs/kit';
import { formProblem } from '$lib/ui/form';
import type { Actions } from './$types';
import { authProblem } from '$lib/auth/errors';
import { hasProblems, readEmail, type FieldProblems } from '$lib/auth/validation';

export const actions = {
	default: async ({ request, locals }) => {
		const form = await request.formData();
		const problems: FieldProblems = {};
		const email = readEmail(form, problems);
		if (hasProblems(problems)) return fail(400, { email, problems });
		const { error } = await locals.supabase.auth.resetPasswordForEmail(email);
		if (error) return fail(400, { email, problems: formProblem(authProblem(error)) });
		redirect(303, `/reset-password/confirm?email=${encodeURIComponent(email)}`);
	}
} satisfies Actions;
