import { hasProblems, type Problems, refuse } from '$lib/ui/form';
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { authProblem, codeProblem } from '$lib/auth/errors';
import { adoptProfileLanguage } from '$lib/auth/session';
import { readCode, readEmail, readPassword } from '$lib/auth/validation';

export const load = (({ url }) => ({ email: url.searchParams.get('email') ?? '' })) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals, cookies }) => {
		const form = await request.formData();
		const problems: Problems = {};
		const email = readEmail(form, problems);
		const code = readCode(form, problems);
		const password = readPassword(form, problems);
		if (hasProblems(problems)) return refuse(400, problems, { email, code });
		const verified = await locals.supabase.auth.verifyOtp({ email, token: code, type: 'recovery' });
		if (verified.error || !verified.data.user) {
			return refuse(400, { code: codeProblem(verified.error) }, { email, code });
		}
		const updated = await locals.supabase.auth.updateUser({ password });
		if (updated.error) {
			return refuse(400, { password: authProblem(updated.error) }, { email, code });
		}
		await adoptProfileLanguage(locals.supabase, verified.data.user.id, cookies);
		redirect(303, '/?notice=password-changed');
	}
} satisfies Actions;
