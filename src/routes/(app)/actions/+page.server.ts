import type { PageServerLoad } from './$types';
import { LIVE } from '$lib/keys';
import { loadActionsPage } from '$lib/dialogues/actions-page.server';

// One call: every action I see with its owner's name, the names of my spaces and,
// since a guest is in no space, the club that convened each of my dialogues.
export const load = (async (event) => {
	event.depends(LIVE.actions);
	return loadActionsPage(event);
}) satisfies PageServerLoad;

// Client code stays (unlike sign-in): this page is kept for offline reading, and
// only the hydrated page can say "offline — saved copy from <time>" (issue 15).
