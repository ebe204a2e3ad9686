import type { PageServerLoad } from './$types';
import { LIVE } from '$lib/keys';
import { loadActionsPage } from '$lib/dialogues/actions-page.server';
import { mySpaces } from '$lib/spaces/queries';

export const load = (async (event) => {
	event.depends(LIVE.actions);
	const [page, spaces] = await Promise.all([loadActionsPage(event, null), mySpaces(event.locals.supabase)]);
	return { ...page, spaceNames: Object.fromEntries(spaces.map((s) => [s.id, s.name])) };
}) satisfies PageServerLoad;

// No client code: the form (or the links) work as plain HTML, so the page ships no JavaScript (issue 14).
export const csr = false;
