import type { PageServerLoad } from './$types';
import { LIVE } from '$lib/keys';
import { loadActionsPage } from '$lib/dialogues/actions-page.server';
import { mySpaces } from '$lib/spaces/queries';

export const load = (async (event) => {
	event.depends(LIVE.actions);
	const [page, spaces] = await Promise.all([loadActionsPage(event, null), mySpaces(event.locals.supabase)]);
	return { ...page, spaceNames: Object.fromEntries(spaces.map((s) => [s.id, s.name])) };
}) satisfies PageServerLoad;

// Client code stays (unlike sign-in): this page is kept for offline reading, and
// only the hydrated page can say "offline — saved copy from <time>" (issue 15).
