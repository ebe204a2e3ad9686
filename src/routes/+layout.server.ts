import type { LayoutServerLoad } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { myDisplayName } from '$lib/profile/queries';
import { hasSessionCookie } from '$lib/server/supabase';

export const load = (async ({ locals, cookies }) => {
	const locale = getLocale();
	// The name is asked for beside the session check, not after it (issue 14).
	const [user, displayName] = await Promise.all([
		locals.getUser(),
		hasSessionCookie(cookies) ? myDisplayName(locals.supabase) : null
	]);
	if (!user) return { locale, user: null, displayName: null };
	return { locale, user: { id: user.id, email: user.email ?? null }, displayName };
}) satisfies LayoutServerLoad;
