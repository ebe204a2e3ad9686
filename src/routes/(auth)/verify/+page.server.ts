// Typing the emailed 6-digit code: confirms a new account (type=signup) or
// finishes a password-less sign-in (type=email).
import { redirect } from '@sveltejs/kit';
import { hasProblems, type Problems, refuse } from '$lib/ui/form';
import type { Actions, PageServerLoad } from './$types';
import { authProblem, codeProblem } from '$lib/auth/errors';
import { adoptProfileLanguage } from '$lib/auth/session';
import { readCode, readEmail } from '$lib/auth/validation';

type CodeType = 'signup' | 'email';
const codeType = (value: string | null): CodeType => (value === 'email' ? 'email' : 'signup');

export const load = (({ url }) => ({
	email: url.searchParams.get('email') ?? '',
	type: codeType(url.searchParams.get('type'))
})) satisfies PageServerLoad;

export const actions = {
	verify: async ({ request, locals, cookies, url }) => {
		const form = await request.formData();
		const problems: Problems = {};
		const email = readEmail(form, problems);
		const code = readCode(form, problems);
		if (hasProblems(problems)) return refuse(400, problems, { email, code });
		const { data, error } = await locals.supabase.auth.verifyOtp({
			email,
			token: code,
			// Hosted Supabase also accepts 'email' for sign-in codes; the local stack
			// only knows the older name 'magiclink', which both accept.
			type: codeType(url.searchParams.get('type')) === 'signup' ? 'signup' : 'magiclink'
		});
		if (error || !data.user) return refuse(400, { code: codeProblem(error) }, { email, code });
		await adoptProfileLanguage(locals.supabase, data.user.id, cookies);
		redirect(303, '/');
	},
	resend: async ({ request, locals, url }) => {
		const form = await request.formData();
		const problems: Problems = {};
		const email = readEmail(form, problems);
		if (hasProblems(problems)) return refuse(400, problems, { email });
		const { error } =
			codeType(url.searchParams.get('type')) === 'signup'
				? await locals.supabase.auth.resend({ type: 'signup', email })
				: await locals.supabase.auth.signInWithOtp({ email, options: { shouldCreateUser: false } });
		if (error) return refuse(400, authProblem(error), { email });
		return { email, resent: true };
	}
} satisfies Actions;
