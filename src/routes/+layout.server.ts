import type { LayoutServerLoad } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { myDisplayName } from '$lib/profile/queries';
import { hasSessionCookie } from '$lib/server/supabase';
import { readDataSaver } from '$lib/data-saver/cookie';

export const load = (async ({ locals, cookies }) => {
	const locale = getLocale();
	// Pictures, sound and video wait for a tap (src/lib/data-saver/Media.svelte).
	const dataSaver = readDataSaver(cookies);
	// The name is asked for beside the session check, not after it (issue 14).
	const [user, displayName] = await Promise.all([
		locals.getUser(),
		hasSessionCookie(cookies) ? myDisplayName(locals.supabase) : null
	]);
	if (!user) return { locale, dataSaver, user: null, displayName: null };
	return { locale, dataSaver, user: { id: user.id, email: user.email ?? null }, displayName };
}) satisfies LayoutServerLoad;
