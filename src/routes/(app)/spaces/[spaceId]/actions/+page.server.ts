import type { PageServerLoad } from './$types';
import { LIVE } from '$lib/keys';
import { loadActionsPage } from '$lib/dialogues/actions-page.server';

export const load = (async (event) => {
	event.depends(LIVE.actions);
	return loadActionsPage(event);
}) satisfies PageServerLoad;
