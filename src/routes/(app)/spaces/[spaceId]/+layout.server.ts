import { error } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { spaceForMember, type MemberSpace } from '$lib/spaces/queries';
import {
	openedSpaceHome,
	openedThreadPage,
	SPACE_HOME_ROUTE,
	THREAD_PAGE_ROUTE
} from '$lib/threads/page.server';
import {
	openedLibrary,
	openedResource,
	SPACE_LIBRARY_ROUTE,
	SPACE_RESOURCE_ROUTE
} from '$lib/library/load.server';
import { openedActions, SPACE_ACTIONS_ROUTE } from '$lib/dialogues/actions-page.server';
import { DRAFT_PAGE_ROUTES, openedDraftPage } from '$lib/drafts/page.server';
import { isUuid } from '$lib/ui/form';

// The space's pages whose one request answers the space's header too (issue 24):
// the layout takes the space from the page's call instead of asking for it.
const withTheSpace: Record<
	string,
	(event: Parameters<LayoutServerLoad>[0]) => Promise<{ space: MemberSpace | null } | null>
> = {
	[THREAD_PAGE_ROUTE]: openedThreadPage,
	[SPACE_HOME_ROUTE]: openedSpaceHome,
	[SPACE_LIBRARY_ROUTE]: openedLibrary,
	[SPACE_RESOURCE_ROUTE]: openedResource,
	[SPACE_ACTIONS_ROUTE]: openedActions,
	...Object.fromEntries(DRAFT_PAGE_ROUTES.map((route) => [route, openedDraftPage]))
};

// No parent(): the space is asked for with the session alone, beside the
// session check in the layouts above (which redirect the signed-out).
export const load = (async (event) => {
	const { locals, params, route, untrack } = event;
	// Untracked: moving between the space's pages does not ask for the space again
	// (each page that answers it tracks what its own call depends on).
	const pageCall = untrack(() => withTheSpace[route.id ?? '']);
	// Not a member and no such space look the same: spaces are private.
	const space = !isUuid(params.spaceId)
		? null
		: pageCall
			? ((await untrack(() => pageCall(event)))?.space ?? null)
			: await spaceForMember(locals.supabase, params.spaceId);
	if (!space) error(404, 'Not found');
	return { space };
}) satisfies LayoutServerLoad;
