import type { PageServerLoad } from './$types';
import { searchSpace } from '$lib/threads/queries';

export const load = (async ({ locals, parent, url }) => {
	const { space } = await parent();
	const query = (url.searchParams.get('q') ?? '').trim().slice(0, 100);
	return { query, results: query ? await searchSpace(locals.supabase, space.id, query) : null };
}) satisfies PageServerLoad;
