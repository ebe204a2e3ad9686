import type { PageServerLoad } from './$types';
import { loadFigures } from '$lib/programme/load.server';
import { programmeStanding } from '$lib/programme/queries';

export const load = (async ({ locals, url }) => {
	const [figures, standing] = await Promise.all([
		loadFigures(locals.supabase, url, null),
		programmeStanding(locals.supabase)
	]);
	return { ...figures, curator: standing.curator };
}) satisfies PageServerLoad;
