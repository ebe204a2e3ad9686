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
		const { error } = await locals.supabase.auth.resetPasswordForEmail(email);
		if (error) return refuse(400, authProblem(error), { email });
		redirect(303, `/reset-password/confirm?email=${encodeURIComponent(email)}`);
	}
} satisfies Actions;
