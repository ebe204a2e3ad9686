// Creating an account with a phone number: a name and the number, then a
// code by SMS confirms it (no email, no password). The account exists, not
// confirmed, from the first code sent; asking again (here or on the code
// page) sends a new code to it, so it is never stuck half made.
import { redirect } from '@sveltejs/kit';
import { hasProblems, type Problems, refuse } from '$lib/ui/form';
import type { Actions, PageServerLoad } from './$types';
import { phoneFormChoices, readPhoneNumber } from '$lib/auth/phone-form.server';
import { sendSmsCode, smsCodePage } from '$lib/auth/sms.server';
import { takeSignUp } from '$lib/auth/throttle.server';
import { readDisplayName } from '$lib/auth/validation';
import { getLocale } from '$lib/paraglide/runtime';
import { carried, invitationFrom, inviteMetadata } from '$lib/spaces/invitation.server';

export const load = (async ({ locals, url }) => {
	const invitation = await invitationFrom(locals.supabase, url);
	if (await locals.getUser()) {
		const code = carried(invitation);
		redirect(303, code ? `/join?code=${code}` : '/');
	}
	return { invitation, ...phoneFormChoices() };
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const { request, locals, url } = event;
		const form = await request.formData();
		const problems: Problems = {};
		const display_name = readDisplayName(form, problems);
		const { e164, country, typed } = readPhoneNumber(form, problems);
		const values = { display_name, phone: typed, country };
		if (hasProblems(problems) || !e164) return refuse(400, problems, { values });
		const paused = await takeSignUp(event);
		if (paused) return refuse(429, paused, { values });
		const invite = carried(await invitationFrom(locals.supabase, url));
		// A number that has an account gets a sign-in code instead (its owner gets in; nothing else changes).
		const problem = await sendSmsCode(event, e164, {
			create: true,
			data: { display_name, preferred_language: getLocale(), ...inviteMetadata(invite) }
		});
		if (problem) return refuse(problem.status, problem.message, { values });
		redirect(303, smsCodePage(e164, invite, true));
	}
} satisfies Actions;

// No client code: the form (or the links) work as plain HTML, so the page ships no JavaScript (issue 14).
export const csr = false;
