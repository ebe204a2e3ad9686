import type { PageServerLoad } from './$types';
import { mySpaces } from '$lib/spaces/queries';

export const load = (async ({ locals }) => {
	const user = await locals.getUser();
	return { spaces: user ? await mySpaces(locals.supabase) : [] };
}) satisfies PageServerLoad;
