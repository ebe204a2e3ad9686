// The one request of each of the space's reading pages that also answers the
// space's header (issue 24). For a full view both the space's layout and the
// page load run; the first to ask starts the call and the other waits for the
// same answer. The space's layout finds its page's call by route id.
import type { Cookies } from '@sveltejs/kit';
import { UNSEEN_COOKIE } from '$lib/keys';
import { isUuid } from '$lib/ui/form';
import { oncePerRequest } from '$lib/server/once-per-request';
import { decodeCursor } from './cursor';
import { openSpaceHome, openThreadInSpace } from './queries';

export const THREAD_PAGE_ROUTE = '/(app)/spaces/[spaceId]/threads/[threadId]';
export const SPACE_HOME_ROUTE = '/(app)/spaces/[spaceId]';

type PageEvent = {
	locals: App.Locals;
	params: Partial<Record<string, string>>;
	cookies: Cookies;
	url: URL;
};

/**
 * The thread page: the space and the thread. Opening the thread, or a reply arriving
 * while it is on screen, means read; a reply that arrived while the tab was hidden
 * (UNSEEN_COOKIE) leaves it unread. The cookie is read when the call starts, so the
 * page may clear it afterwards, whichever load asks first.
 */
export const openedThreadPage = ({ locals, params, cookies }: PageEvent) =>
	oncePerRequest(locals, THREAD_PAGE_ROUTE, () => {
		const { spaceId = '', threadId = '' } = params;
		const markRead = cookies.get(UNSEEN_COOKIE) === undefined;
		return isUuid(spaceId) && isUuid(threadId)
			? openThreadInSpace(locals.supabase, spaceId, threadId, markRead)
			: Promise.resolve(null);
	});

/** The space's home page: the space, a page of its threads (`?after=`), its next and last meeting. */
export const openedSpaceHome = ({ locals, params, url }: PageEvent) =>
	oncePerRequest(locals, SPACE_HOME_ROUTE, () => {
		const { spaceId = '' } = params;
		return isUuid(spaceId)
			? openSpaceHome(locals.supabase, spaceId, decodeCursor(url.searchParams.get('after')))
			: Promise.resolve(null);
	});
