import type { PageServerLoad } from './$types';
import { loadFigures } from '$lib/programme/load.server';

// The space's facilitators (and programme officers who are members) see its
// figures; anyone else gets the database's refusal in words.
export const load = (async ({ locals, url, params }) =>
	loadFigures(locals.supabase, url, params.spaceId)) satisfies PageServerLoad;
