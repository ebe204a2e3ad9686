// The actions pages (one space's, or every space and dialogue a person can
// see): filters from the address, so a filtered view is a link to share.
import type { RequestEvent } from '@sveltejs/kit';
import { ACTION_STATUSES, type ActionStatus } from '$lib/vocabulary';
import { isUuid } from '$lib/ui/form';
import { actionCounts, listActions, type ActionFilters } from './queries';

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

export async function loadActionsPage(event: RequestEvent, spaceId: string | null) {
	// "Assigned to me": the actions a guest (or member) was named to carry out.
	const filters = { ...readActionFilters(event.url), mine: event.url.searchParams.get('mine') === '1' };
	const userId = (await event.locals.getUser())?.id ?? null;
	// Counts are of everything the person sees here, whatever the filters show.
	const all = await listActions(event.locals.supabase, spaceId, {
		status: null,
		organisation: null,
		overdue: false,
		dialogueId: filters.dialogueId
	});
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
		loadedAt: Date.now()
	};
}
