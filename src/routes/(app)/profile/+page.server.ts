import { error, fail } from '@sveltejs/kit';
import { formProblem } from '$lib/ui/form';
import type { Actions, PageServerLoad } from './$types';
import { loadProfile } from '$lib/profile/queries';
import { readProfileForm } from '$lib/profile/form';
import { setLocaleCookie } from '$lib/i18n/cookie';
import { problem } from '$lib/i18n/problem';

export const load = (async ({ locals, parent }) => {
	const { userId } = await parent();
	const profile = await loadProfile(locals.supabase, userId);
	if (!profile) error(404, 'Profile not found');
	return { profile };
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals, cookies }) => {
		const user = await locals.getUser();
		if (!user) error(401, 'Sign in first');
		const { values, problems, ok } = readProfileForm(await request.formData());
		if (!ok) return fail(400, { values, problems });
		const { phone, ...publicFields } = values;
		const [publicResult, privateResult] = await Promise.all([
			locals.supabase.from('profiles').update(publicFields).eq('id', user.id),
			locals.supabase.from('profile_private').update({ phone }).eq('id', user.id)
		]);
		if (publicResult.error || privateResult.error) {
			return fail(500, { values, problems: formProblem(problem('error_generic')) });
		}
		setLocaleCookie(cookies, values.preferred_language);
		return { values, saved: true };
	}
} satisfies Actions;
