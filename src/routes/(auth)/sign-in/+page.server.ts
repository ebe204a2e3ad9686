import { redirect } from '@sveltejs/kit';
import { readString, hasProblems, type Problems, refuse } from '$lib/ui/form';
import type { Actions, PageServerLoad } from './$types';
import { authMessage, authRefusal } from '$lib/auth/errors';
import { adoptProfileLanguage } from '$lib/auth/session';
import { pausedMessage, throttle, throttleKeys } from '$lib/auth/throttle.server';
import { readEmail } from '$lib/auth/validation';
import { safeReturnPath } from '$lib/auth/return-path';

export const load = (async ({ locals, url }) => {
	if (await locals.getUser()) redirect(303, safeReturnPath(url.searchParams.get('next')));
	return { email: url.searchParams.get('email') ?? '', signedOut: url.searchParams.has('signed_out') };
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const { request, locals, cookies, url } = event;
		const form = await request.formData();
		const problems: Problems = {};
		const email = readEmail(form, problems);
		const password = readString(form, 'password');
		if (hasProblems(problems)) return refuse(400, problems, { email });
		const keys = throttleKeys.password(event, email);
		const paused = pausedMessage(keys);
		if (paused) return refuse(429, paused, { email });
		const { data, error } = await locals.supabase.auth.signInWithPassword({ email, password });
		if (error || !data.user) {
			const refused = authRefusal(error);
			if (refused === 'credentials') throttle.record(keys);
			if (refused === 'email_not_confirmed') {
				redirect(303, `/verify?type=signup&email=${encodeURIComponent(email)}`);
			}
			return refuse(400, authMessage(refused), { email });
		}
		throttle.forgive(keys.slice(0, 1));
		await adoptProfileLanguage(locals.supabase, data.user.id, cookies);
		redirect(303, safeReturnPath(url.searchParams.get('next')));
	}
} satisfies Actions;
