// The one request of a draft's pages (issue 24): the space's header, the draft
// and, for the reading page, its comments. For a full view the space's layout,
// the draft's layout and the page load all run; the first to ask starts the
// call and the others wait for the same answer. The space's layout finds this
// call by route id (DRAFT_PAGE_ROUTES).
import type { RequestEvent } from '@sveltejs/kit';
import { isUuid } from '$lib/ui/form';
import { oncePerRequest } from '$lib/server/once-per-request';
import { openDraftPage } from './queries';

const DRAFT = '/(app)/spaces/[spaceId]/drafts/[draftId]';
/** The reading page, the only one that shows the comments. */
export const DRAFT_READING_ROUTE = DRAFT;
/** The draft's pages (endpoints such as the sync and the exports run no layout). */
export const DRAFT_PAGE_ROUTES = [DRAFT, `${DRAFT}/edit`, `${DRAFT}/print`, `${DRAFT}/versions`];

export const openedDraftPage = ({
	locals,
	params,
	route,
	untrack
}: Pick<RequestEvent, 'locals' | 'params' | 'route'> & { untrack: <T>(fn: () => T) => T }) =>
	oncePerRequest(locals, DRAFT, () => {
		const { spaceId = '', draftId = '' } = params;
		// Untracked: the route decides only whether the comments come along.
		const withComments = untrack(() => route.id) === DRAFT_READING_ROUTE;
		return isUuid(spaceId) && isUuid(draftId)
			? openDraftPage(locals.supabase, spaceId.toLowerCase(), draftId.toLowerCase(), withComments)
			: Promise.resolve(null);
	});
