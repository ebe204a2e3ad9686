import type { LayoutServerLoad } from './$types';
import { getLocale } from '$lib/paraglide/runtime';

export const load = (async ({ locals }) => {
	const user = await locals.getUser();
	const locale = getLocale();
	if (!user) return { locale, user: null, displayName: null };
	const { data } = await locals.supabase
		.from('profiles')
		.select('display_name')
		.eq('id', user.id)
		.maybeSingle();
	return {
		locale,
		user: { id: user.id, email: user.email ?? null },
		displayName: data?.display_name ?? null
	};
}) satisfies LayoutServerLoad;
