import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { authProblem, codeProblem } from '$lib/auth/errors';
import { adoptProfileLanguage } from '$lib/auth/session';
import { hasProblems, readCode, readEmail, readPassword, type FieldProblems } from '$lib/auth/validation';

export const load = (({ url }) => ({ email: url.searchParams.get('email') ?? '' })) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals, cookies }) => {
		const form = await request.formData();
		const problems: FieldProblems = {};
		const email = readEmail(form, problems);
		const code = readCode(form, problems);
		const password = readPassword(form, problems);
		if (hasProblems(problems)) return fail(400, { email, code, problems });
		const verified = await locals.supabase.auth.verifyOtp({ email, token: code, type: 'recovery' });
		if (verified.error || !verified.data.user) {
			return fail(400, { email, code, problems: { code: codeProblem(verified.error) } as FieldProblems });
		}
		const updated = await locals.supabase.auth.updateUser({ password });
		if (updated.error) {
			return fail(400, { email, code, problems: { password: authProblem(updated.error) } as FieldProblems });
		}
		await adoptProfileLanguage(locals.supabase, verified.data.user.id, cookies);
		redirect(303, '/?notice=password-changed');
	}
} satisfies Actions;
