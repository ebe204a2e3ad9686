// Adding a phone number to one's account (or changing it): Supabase Auth's
// updateUser({ phone }) sends a code to the number; typing it on the code
// page (/verify?type=phone_change) adds it. Then the number signs in too.
// (Adding an email to a phone account is not offered yet.)
import { error, redirect } from '@sveltejs/kit';
import { hasProblems, type Problems, refuse } from '$lib/ui/form';
import type { Actions, PageServerLoad } from './$types';
import { phoneFormChoices, readPhoneNumber } from '$lib/auth/phone-form.server';
import { requestPhoneChange } from '$lib/auth/sms.server';
import { fromAuthPhone } from '$lib/auth/phone';

export const load = (async ({ locals }) => {
	const user = await locals.getUser();
	if (!user) redirect(303, '/sign-in');
	return { phone: fromAuthPhone(user.phone), ...phoneFormChoices() };
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		if (!(await event.locals.getUser())) error(401, 'Sign in first');
		const form = await event.request.formData();
		const problems: Problems = {};
		const { e164, country, typed } = readPhoneNumber(form, problems);
		const kept = { phone: typed, country };
		if (hasProblems(problems) || !e164) return refuse(400, problems, kept);
		const problem = await requestPhoneChange(event, e164);
		if (problem) return refuse(problem.status, { phone: problem.message }, kept);
		redirect(303, `/verify?type=phone_change&phone=${encodeURIComponent(e164)}`);
	}
} satisfies Actions;
