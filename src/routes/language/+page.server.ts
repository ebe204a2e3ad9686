import { error, redirect } from '@sveltejs/kit';
import type { Actions } from './$types';
import { isLocale } from '$lib/i18n/locales';
import { safeReturnPath } from '$lib/auth/return-path';
import { setLocaleCookie } from '$lib/i18n/cookie';
import { savePreferredLanguage } from '$lib/profile/queries';

export const load = () => redirect(303, '/');

export const actions = {
	default: async ({ request, cookies, locals }) => {
		const form = await request.formData();
		const locale = form.get('locale');
		if (!isLocale(locale)) error(400, 'Unknown language');
		setLocaleCookie(cookies, locale);
		const user = await locals.getUser();
		if (user) await savePreferredLanguage(locals.supabase, user.id, locale);
		redirect(303, safeReturnPath(form.get('return_to')));
	}
} satisfies Actions;
