import type { Actions, PageServerLoad } from './$types';
import { error } from '@sveltejs/kit';
import { openedDraftPage } from '$lib/drafts/page.server';
import { comment, resolve } from '$lib/drafts/comment-actions.server';

export const load = (async (event) => {
	void event.params.draftId; // read here too: another draft reruns this load
	const opened = await openedDraftPage(event); // the same call as the draft's layout
	if (!opened?.draft) error(404, 'Not found');
	return { comments: opened.comments };
}) satisfies PageServerLoad;

export const actions = { comment, resolve: resolve(true), reopen: resolve(false) } satisfies Actions;
