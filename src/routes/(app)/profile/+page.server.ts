import { m } from '$lib/paraglide/messages';
import { error } from '@sveltejs/kit';
import { refuse } from '$lib/ui/form';
import type { Actions, PageServerLoad } from './$types';
import { loadProfile, saveProfile } from '$lib/profile/queries';
import { readProfileForm } from '$lib/profile/form';
import { setLocaleCookie } from '$lib/i18n/cookie';
import { fromAuthPhone } from '$lib/auth/phone';

export const load = (async ({ locals, url }) => {
	const user = await locals.getUser();
	const profile = user ? await loadProfile(locals.supabase, user.id) : null;
	if (!profile || !user) error(404, 'Profile not found');
	return {
		profile,
		// How this account signs in: an email, a phone number (E.164), or both.
		signIn: { email: user.email ?? '', phone: fromAuthPhone(user.phone) },
		phoneAdded: url.searchParams.get('notice') === 'phone-added'
	};
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals, cookies }) => {
		const user = await locals.getUser();
		if (!user) error(401, 'Sign in first');
		const { values, problems, ok } = readProfileForm(await request.formData());
		if (!ok) return refuse(400, problems, { values });
		const { error: refused } = await saveProfile(locals.supabase, values);
		if (refused) return refuse(400, m.error_generic(), { values });
		// The header's name is read from the auth user: this page's answer shows the new one.
		await locals.userChanged();
		setLocaleCookie(cookies, values.preferred_language);
		return { values, saved: true };
	}
} satisfies Actions;
