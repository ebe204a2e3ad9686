import { fail, redirect } from '@sveltejs/kit';
import { formProblem } from '$lib/ui/form';
import type { Actions, PageServerLoad } from './$types';
import { authProblem } from '$lib/auth/errors';
import { adoptProfileLanguage } from '$lib/auth/session';
import { hasProblems, readEmail, type FieldProblems } from '$lib/auth/validation';
import { safeReturnPath } from '$lib/i18n/locales';

export const load = (async ({ locals, url }) => {
	if (await locals.getUser()) redirect(303, safeReturnPath(url.searchParams.get('next')));
	return { email: url.searchParams.get('email') ?? '', signedOut: url.searchParams.has('signed_out') };
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals, cookies, url }) => {
		const form = await request.formData();
		const problems: FieldProblems = {};
		const email = readEmail(form, problems);
		const password = String(form.get('password') ?? '');
		if (hasProblems(problems)) return fail(400, { email, problems });
		const { data, error } = await locals.supabase.auth.signInWithPassword({ email, password });
		if (error || !data.user) {
			const refused = authProblem(error);
			if (refused.key === 'error_email_not_confirmed') {
				redirect(303, `/verify?type=signup&email=${encodeURIComponent(email)}`);
			}
			return fail(400, { email, problems: formProblem(refused) });
		}
		await adoptProfileLanguage(locals.supabase, data.user.id, cookies);
		redirect(303, safeReturnPath(url.searchParams.get('next')));
	}
} satisfies Actions;
