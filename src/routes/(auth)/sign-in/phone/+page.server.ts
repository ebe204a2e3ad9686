// Signing in with a phone number: the number, then a code by SMS (no password).
import { redirect } from '@sveltejs/kit';
import { hasProblems, type Problems, refuse } from '$lib/ui/form';
import type { Actions, PageServerLoad } from './$types';
import { phoneFormChoices, readPhoneNumber } from '$lib/auth/phone-form.server';
import { safeReturnPath } from '$lib/auth/return-path';
import { sendSmsCode, smsCodePage } from '$lib/auth/sms.server';
import { carried, invitationFrom } from '$lib/spaces/invitation.server';

export const load = (async ({ locals, url }) => {
	const invitation = await invitationFrom(locals.supabase, url);
	if (await locals.getUser()) {
		const code = carried(invitation);
		redirect(303, code ? `/join?code=${code}` : safeReturnPath(url.searchParams.get('next')));
	}
	return { invitation, ...phoneFormChoices() };
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const problems: Problems = {};
		const { e164, country, typed } = readPhoneNumber(form, problems);
		const kept = { phone: typed, country };
		if (hasProblems(problems) || !e164) return refuse(400, problems, kept);
		// Sign-in only: a code never creates an account here. Numbers with and
		// without an account get the same answer (who is a member stays private).
		const problem = await sendSmsCode(event, e164, { create: false });
		if (problem) return refuse(problem.status, problem.message, kept);
		const invite = carried(await invitationFrom(event.locals.supabase, event.url));
		redirect(303, smsCodePage(e164, invite, false));
	}
} satisfies Actions;

// No client code: the form (or the links) work as plain HTML, so the page ships no JavaScript (issue 14).
export const csr = false;
