import type { LayoutServerLoad } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { displayName } from '$lib/profile/queries';

export const load = (async ({ locals }) => {
	const user = await locals.getUser();
	const locale = getLocale();
	if (!user) return { locale, user: null, displayName: null };
	return {
		locale,
		user: { id: user.id, email: user.email ?? null },
		displayName: await displayName(locals.supabase, user.id)
	};
}) satisfies LayoutServerLoad;
