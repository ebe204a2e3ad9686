// Typing the 6-digit code: confirms a new account (type=signup), finishes a
// password-less sign-in (type=email), or either by SMS (type=sms: the number
// in `phone`), or adds a number to the signed-in account (type=phone_change;
// both in src/lib/auth/sms.server.ts).
import { redirect } from '@sveltejs/kit';
import { hasProblems, type Problems, refuse } from '$lib/ui/form';
import type { Actions, PageServerLoad } from './$types';
import { authMessage, authRefusal, codeProblem } from '$lib/auth/errors';
import { checkStep, countFailure, countSignedIn, takeEmail } from '$lib/auth/throttle.server';
import { m } from '$lib/paraglide/messages';
import { adoptProfileChoices } from '$lib/auth/session';
import { linkedCode, readCode, readEmail } from '$lib/auth/validation';
import { invitationFrom, landingAfterSignIn } from '$lib/spaces/invitation.server';
import { resendPhoneChange, resendSmsCode, verifyPhoneChange, verifySmsCode } from '$lib/auth/sms.server';

type CodeType = 'signup' | 'email' | 'sms' | 'phone_change';
const codeType = (value: string | null): CodeType =>
	value === 'email' || value === 'sms' || value === 'phone_change' ? value : 'signup';

export const load = (async ({ url, locals }) => ({
	email: url.searchParams.get('email') ?? '',
	/** E.164, for type=sms (the form reads it again, so anything else is refused there). */
	phone: url.searchParams.get('phone') ?? '',
	/** type=sms for a new account (the page's wording). */
	signUp: url.searchParams.has('new'),
	type: codeType(url.searchParams.get('type')),
	// The emailed link fills in the code; the person still presses Confirm (a link
	// checker opening the email cannot use it up).
	code: linkedCode(url),
	// Sent here by the step-up (sign-in/+page.server.ts): the page says why a code is needed.
	stepUp: url.searchParams.has('step_up'),
	invitation: await invitationFrom(locals.supabase, url)
})) satisfies PageServerLoad;

export const actions = {
	verify: async (event) => {
		const type = codeType(event.url.searchParams.get('type'));
		if (type === 'sms') return verifySmsCode(event);
		if (type === 'phone_change') return verifyPhoneChange(event);
		const { request, locals, cookies, url } = event;
		const form = await request.formData();
		const problems: Problems = {};
		const email = readEmail(form, problems);
		const code = readCode(form, problems);
		if (hasProblems(problems)) return refuse(400, problems, { email, code });
		const gate = await checkStep(event, 'code', email);
		if (gate.paused) return refuse(429, { code: gate.paused }, { email, code });
		if (gate.newCode) return refuse(429, { code: m.error_code_ask_new() }, { email, code });
		const { data, error } = await locals.supabase.auth.verifyOtp({
			email,
			token: code,
			// Hosted Supabase also accepts 'email' for sign-in codes; the local stack
			// only knows the older name 'magiclink', which both accept.
			type: codeType(url.searchParams.get('type')) === 'signup' ? 'signup' : 'magiclink'
		});
		if (error || !data.user) {
			if (authRefusal(error) !== 'network') await countFailure(event, 'code', email);
			return refuse(400, { code: codeProblem(error) }, { email, code });
		}
		await countSignedIn(event, email);
		await adoptProfileChoices(locals.supabase, data.user.id, cookies);
		redirect(303, await landingAfterSignIn(locals.supabase, cookies, url, data.user));
	},
	resend: async (event) => {
		const type = codeType(event.url.searchParams.get('type'));
		if (type === 'sms') return resendSmsCode(event);
		if (type === 'phone_change') return resendPhoneChange(event);
		const { request, locals, url } = event;
		const form = await request.formData();
		const problems: Problems = {};
		const email = readEmail(form, problems);
		if (hasProblems(problems)) return refuse(400, problems, { email });
		const paused = await takeEmail(event, email);
		if (paused) return refuse(429, paused, { email });
		const { error } =
			codeType(url.searchParams.get('type')) === 'signup'
				? await locals.supabase.auth.resend({ type: 'signup', email })
				: await locals.supabase.auth.signInWithOtp({ email, options: { shouldCreateUser: false } });
		// As when asking for the first code: the same answer whether or not the address has an account.
		const refused = error ? authRefusal(error) : null;
		if (refused === 'network' || refused === 'rate_limit')
			return refuse(503, authMessage(refused), { email });
		return { email, resent: true };
	}
} satisfies Actions;

// No client code: the form (or the links) work as plain HTML, so the page ships no JavaScript (issue 14).
export const csr = false;
