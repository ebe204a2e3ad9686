// Loads for the two libraries (a space's, and the shared one at /library);
// the routes are thin wrappers so both behave the same.
import { error, type RequestEvent } from '@sveltejs/kit';
import { isUuid } from '$lib/ui/form';
import { scopeOf } from './actions.server';
import { oncePerRequest } from '$lib/server/once-per-request';
import { openLibrary, resourceDetail, threadsToAttach, readFilters } from './queries';

/** A space's library page (the space's layout takes the space from this page's call). */
export const SPACE_LIBRARY_ROUTE = '/(app)/spaces/[spaceId]/library';

/**
 * The library page's one call, asked once per request: a space's library (the
 * space's header with it, for the space's layout) or the shared one.
 */
export const openedLibrary = (event: Pick<RequestEvent, 'locals' | 'params' | 'url'>) =>
	oncePerRequest(event.locals, 'library', () =>
		openLibrary(event.locals.supabase, scopeOf(event), readFilters(event.url))
	);

/** May this person add (members; curators for the shared library), organise (moderators; curators) and edit the resource? One call. */
async function rightsIn(event: RequestEvent, spaceId: string | null, resourceId?: string) {
	// null = the shared library (the generated types cannot say the argument may be null)
	const { data } = await event.locals.supabase.rpc('library_rights', {
		p_space: spaceId as string,
		...(resourceId ? { p_resource: resourceId } : {})
	});
	const rights = (data ?? {}) as { canAdd?: boolean; canCurate?: boolean; canEdit?: boolean };
	return {
		canAdd: rights.canAdd === true,
		canCurate: rights.canCurate === true,
		canEdit: rights.canEdit === true
	};
}

export async function loadLibrary(event: RequestEvent) {
	const spaceId = scopeOf(event);
	const filters = readFilters(event.url); // read here too: new filters rerun this load
	const library = await openedLibrary(event);
	if (!library) error(404, 'Not found');
	const filtered = !!(
		filters.q ||
		filters.topic ||
		filters.language ||
		filters.kind ||
		filters.collection ||
		filters.retired
	);
	return {
		spaceId,
		items: library.items,
		filters,
		filtered,
		collections: library.collections,
		canAdd: library.canAdd,
		canCurate: library.canCurate
	};
}

export async function loadResource(event: RequestEvent) {
	const spaceId = scopeOf(event);
	const resourceId = event.params.resourceId ?? '';
	if (!isUuid(resourceId)) error(404, 'Not found');
	const id = resourceId.toLowerCase();
	const [detail, rights, threads, user] = await Promise.all([
		resourceDetail(event.locals.supabase, id, spaceId),
		rightsIn(event, spaceId, id),
		threadsToAttach(event.locals.supabase, spaceId),
		event.locals.getUser()
	]);
	if (!detail) error(404, 'Not found');
	// The buttons shown follow the rules; RLS still decides every write.
	return { spaceId, ...detail, ...rights, userId: user?.id ?? null, threads };
}
