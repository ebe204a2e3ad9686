// Everything under (app) needs a signed-in person.
import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
	const user = await locals.getUser();
	if (!user) redirect(303, `/sign-in?next=${encodeURIComponent(url.pathname + url.search)}`);
	return { userId: user.id };
}) satisfies LayoutServerLoad;
