import type { PageServerLoad } from './$types';
import { LIVE } from '$lib/keys';
import { loadActionsPage } from '$lib/dialogues/actions-page.server';
import { mySpaces } from '$lib/spaces/queries';
import { myDialogues } from '$lib/dialogues/queries';

export const load = (async (event) => {
	event.depends(LIVE.actions);
	const [page, spaces, dialogues] = await Promise.all([
		loadActionsPage(event, null),
		mySpaces(event.locals.supabase),
		myDialogues(event.locals.supabase)
	]);
	return {
		...page,
		spaceNames: Object.fromEntries(spaces.map((s) => [s.id, s.name])),
		// A guest is in no space, but each dialogue names the club that convened it.
		clubOfDialogue: Object.fromEntries(dialogues.map((d) => [d.id, d.space_name]))
	};
}) satisfies PageServerLoad;

// Client code stays (unlike sign-in): this page is kept for offline reading, and
// only the hydrated page can say "offline — saved copy from <time>" (issue 15).
