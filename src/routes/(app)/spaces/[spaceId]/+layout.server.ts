import { error } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { spaceForMember } from '$lib/spaces/queries';
import { openedThreadPage, THREAD_PAGE_ROUTE } from '$lib/threads/page.server';
import { isUuid } from '$lib/ui/form';

// No parent(): the space is asked for with the session alone, beside the
// session check in the layouts above (which redirect the signed-out).
export const load = (async (event) => {
	const { locals, params, route, untrack } = event;
	// The thread page asks for the space with its thread, in its one request (issue
	// 24). Untracked: moving between the space's pages does not ask for the space again.
	const onThreadPage = untrack(() => route.id) === THREAD_PAGE_ROUTE;
	// Not a member and no such space look the same: spaces are private.
	const space = !isUuid(params.spaceId)
		? null
		: onThreadPage
			? ((await openedThreadPage(event))?.space ?? null)
			: await spaceForMember(locals.supabase, params.spaceId);
	if (!space) error(404, 'Not found');
	return { space };
}) satisfies LayoutServerLoad;
