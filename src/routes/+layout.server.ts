import type { LayoutServerLoad } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { displayName } from '$lib/profile/queries';
import { readDataSaver } from '$lib/data-saver/cookie';

export const load = (async ({ locals, cookies }) => {
	const user = await locals.getUser();
	const locale = getLocale();
	// Pictures, sound and video wait for a tap (src/lib/data-saver/Media.svelte).
	const dataSaver = readDataSaver(cookies);
	if (!user) return { locale, dataSaver, user: null, displayName: null };
	return {
		locale,
		dataSaver,
		user: { id: user.id, email: user.email ?? null },
		displayName: await displayName(locals.supabase, user.id)
	};
}) satisfies LayoutServerLoad;
