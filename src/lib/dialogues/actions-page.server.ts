// The actions pages (one space's, or every space and dialogue a person can
// see): filters from the address, so a filtered view is a link to share.
import { error, type RequestEvent } from '@sveltejs/kit';
import { ACTION_STATUSES, type ActionStatus } from '$lib/vocabulary';
import { isUuid } from '$lib/ui/form';
import { oncePerRequest } from '$lib/server/once-per-request';
import { actionCounts, openActions, type ActionFilters } from './queries';

/** A space's actions page (the space's layout takes the space from this page's call). */
export const SPACE_ACTIONS_ROUTE = '/(app)/spaces/[spaceId]/actions';

function readActionFilters(url: URL): ActionFilters {
	const status = url.searchParams.get('status');
	const dialogue = url.searchParams.get('dialogue') ?? '';
	return {
		status: ACTION_STATUSES.includes(status as ActionStatus) ? (status as ActionStatus) : null,
		organisation: url.searchParams.get('organisation')?.trim().slice(0, 120) || null,
		overdue: url.searchParams.get('overdue') === '1',
		dialogueId: isUuid(dialogue) ? dialogue : null
	};
}

/**
 * The actions page's one call, asked once per request: every action the person
 * sees here (the space's, or all of them) whatever the filters show, since the
 * counts are of all of them; `?dialogue=` narrows it. The space's header with it.
 */
export const openedActions = (event: Pick<RequestEvent, 'locals' | 'params' | 'url'>) =>
	oncePerRequest(event.locals, SPACE_ACTIONS_ROUTE, () => {
		const spaceId = event.params.spaceId ?? null;
		if (spaceId !== null && !isUuid(spaceId)) return Promise.resolve(null);
		const dialogue = event.url.searchParams.get('dialogue') ?? '';
		return openActions(event.locals.supabase, spaceId, isUuid(dialogue) ? dialogue : null);
	});

export async function loadActionsPage(event: RequestEvent) {
	// "Assigned to me": the actions a guest (or member) was named to carry out.
	const filters = { ...readActionFilters(event.url), mine: event.url.searchParams.get('mine') === '1' };
	void event.params.spaceId; // read here too: another space reruns this load
	const [user, page] = await Promise.all([event.locals.getUser(), openedActions(event)]);
	if (!page) error(404, 'Not found');
	const userId = user?.id ?? null;
	const all = page.actions;
	const shown = all.filter(
		(a) =>
			(!filters.status || a.status === filters.status) &&
			(!filters.overdue || a.overdue) &&
			(!filters.mine || (!!userId && a.owner_user_id === userId)) &&
			(!filters.organisation ||
				(a.owner_organisation ?? '').toLowerCase() === filters.organisation.toLowerCase())
	);
	const dialogues = [...new Map(all.map((a) => [a.dialogue_id, a.dialogue_title])).entries()].map(
		([id, title]) => ({ id, title })
	);
	const organisations = [
		...new Set(all.map((a) => a.owner_organisation).filter((o): o is string => !!o))
	].sort();
	return {
		actions: shown,
		counts: actionCounts(all),
		filters,
		dialogues,
		organisations,
		hasMine: !!userId && all.some((a) => a.owner_user_id === userId),
		spaceNames: page.spaceNames,
		clubOfDialogue: page.clubOfDialogue,
		loadedAt: Date.now()
	};
}
