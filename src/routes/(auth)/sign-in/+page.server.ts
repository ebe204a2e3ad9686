import { redirect } from '@sveltejs/kit';
import { readString, hasProblems, type Problems, refuse } from '$lib/ui/form';
import type { Actions, PageServerLoad } from './$types';
import { authMessage, authRefusal } from '$lib/auth/errors';
import { adoptProfileLanguage } from '$lib/auth/session';
import { readEmail } from '$lib/auth/validation';
import { safeReturnPath } from '$lib/i18n/locales';

export const load = (async ({ locals, url }) => {
	if (await locals.getUser()) redirect(303, safeReturnPath(url.searchParams.get('next')));
	return { email: url.searchParams.get('email') ?? '', signedOut: url.searchParams.has('signed_out') };
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals, cookies, url }) => {
		const form = await request.formData();
		const problems: Problems = {};
		const email = readEmail(form, problems);
		const password = readString(form, 'password');
		if (hasProblems(problems)) return refuse(400, problems, { email });
		const { data, error } = await locals.supabase.auth.signInWithPassword({ email, password });
		if (error || !data.user) {
			const refused = authRefusal(error);
			if (refused === 'email_not_confirmed') {
				redirect(303, `/verify?type=signup&email=${encodeURIComponent(email)}`);
			}
			return refuse(400, authMessage(refused), { email });
		}
		await adoptProfileLanguage(locals.supabase, data.user.id, cookies);
		redirect(303, safeReturnPath(url.searchParams.get('next')));
	}
} satisfies Actions;
