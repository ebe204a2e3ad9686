import type { LayoutServerLoad } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { headerName, myDisplayName } from '$lib/profile/queries';
import { hasSessionCookie } from '$lib/server/supabase';
import { readDataSaver } from '$lib/data-saver/cookie';

export const load = (async ({ locals, cookies }) => {
	const locale = getLocale();
	// Pictures, sound and video wait for a tap (src/lib/data-saver/Media.svelte).
	const dataSaver = readDataSaver(cookies);
	const user = hasSessionCookie(cookies) ? await locals.getUser() : null;
	if (!user) return { locale, dataSaver, user: null, displayName: null };
	// The header's name comes with the auth user (its metadata is kept equal to
	// the profile's by the database): no request of its own (issue 24).
	const displayName = headerName(user) ?? (await myDisplayName(locals.supabase));
	return { locale, dataSaver, user: { id: user.id, email: user.email ?? null }, displayName };
}) satisfies LayoutServerLoad;
