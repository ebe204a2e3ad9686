// The thread page's one request, shared by the space's layout and the page.
// Both loads run for a full view; the layout needs the space's header and the
// page its thread, and open_thread_in_space() answers both in one call, so the
// first load to ask starts it and the other waits for the same answer.
import type { Cookies } from '@sveltejs/kit';
import { UNSEEN_COOKIE } from '$lib/keys';
import { isUuid } from '$lib/ui/form';
import { openThreadInSpace } from './queries';

/** The thread page's route id (the space's layout takes its space from this page's call). */
export const THREAD_PAGE_ROUTE = '/(app)/spaces/[spaceId]/threads/[threadId]';

type Opened = ReturnType<typeof openThreadInSpace>;
type ThreadPageEvent = { locals: App.Locals; params: Partial<Record<string, string>>; cookies: Cookies };

const openedThisRequest = new WeakMap<App.Locals, Opened>();

/**
 * The space and the thread, asked once per request. Opening the thread, or a reply
 * arriving while it is on screen, means read; a reply that arrived while the tab was
 * hidden (UNSEEN_COOKIE) leaves it unread. The cookie is read when the call starts,
 * so the page may clear it afterwards, whichever load asks first.
 */
export function openedThreadPage({ locals, params, cookies }: ThreadPageEvent): Opened {
	let opened = openedThisRequest.get(locals);
	if (!opened) {
		const { spaceId = '', threadId = '' } = params;
		const markRead = cookies.get(UNSEEN_COOKIE) === undefined;
		opened =
			isUuid(spaceId) && isUuid(threadId)
				? openThreadInSpace(locals.supabase, spaceId, threadId, markRead)
				: Promise.resolve(null);
		openedThisRequest.set(locals, opened);
	}
	return opened;
}
