import type { PageServerLoad } from './$types';
import { spaceDrafts } from '$lib/drafts/queries';

export const load = (async ({ locals, params }) => ({
	drafts: await spaceDrafts(locals.supabase, params.spaceId)
})) satisfies PageServerLoad;
