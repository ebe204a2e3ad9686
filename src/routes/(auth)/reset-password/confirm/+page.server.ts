import { m } from '$lib/paraglide/messages';
import { hasProblems, type Problems, refuse } from '$lib/ui/form';
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { authProblem, authRefusal, codeProblem } from '$lib/auth/errors';
import { checkStep, countFailure, countSignedIn } from '$lib/auth/throttle.server';
import { adoptProfileChoices } from '$lib/auth/session';
import { linkedCode, readCode, readEmail, readPassword } from '$lib/auth/validation';

export const load = (({ url }) => ({
	email: url.searchParams.get('email') ?? '',
	code: linkedCode(url) // from the emailed link
})) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const { request, locals, cookies } = event;
		const form = await request.formData();
		const problems: Problems = {};
		const email = readEmail(form, problems);
		const code = readCode(form, problems);
		const password = readPassword(form, problems);
		if (hasProblems(problems)) return refuse(400, problems, { email, code });
		const gate = await checkStep(event, 'code', email);
		if (gate.paused) return refuse(429, { code: gate.paused }, { email, code });
		if (gate.newCode) return refuse(429, { code: m.error_code_ask_new() }, { email, code });
		const verified = await locals.supabase.auth.verifyOtp({ email, token: code, type: 'recovery' });
		if (verified.error || !verified.data.user) {
			if (authRefusal(verified.error) !== 'network') await countFailure(event, 'code', email);
			return refuse(400, { code: codeProblem(verified.error) }, { email, code });
		}
		const updated = await locals.supabase.auth.updateUser({ password });
		if (updated.error) {
			return refuse(400, { password: authProblem(updated.error) }, { email, code });
		}
		await countSignedIn(event, email);
		await adoptProfileChoices(locals.supabase, verified.data.user.id, cookies);
		redirect(303, '/?notice=password-changed');
	}
} satisfies Actions;

// No client code: the form (or the links) work as plain HTML, so the page ships no JavaScript (issue 14).
export const csr = false;
