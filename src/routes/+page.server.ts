import { LIVE } from '$lib/keys';
import type { PageServerLoad } from './$types';
import { mySpaces } from '$lib/spaces/queries';

export const load = (async ({ locals, depends }) => {
	depends(LIVE.spaces); // refetched by live updates
	const user = await locals.getUser();
	return { spaces: user ? await mySpaces(locals.supabase) : [], loadedAt: Date.now() };
}) satisfies PageServerLoad;
