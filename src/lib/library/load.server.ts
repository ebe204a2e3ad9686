// Loads for the two libraries (a space's, and the shared one at /library);
// the routes are thin wrappers so both behave the same.
import { error, type RequestEvent } from '@sveltejs/kit';
import { isUuid } from '$lib/ui/form';
import { scopeOf } from './actions.server';
import { oncePerRequest } from '$lib/server/once-per-request';
import { openLibrary, openLibraryResource, readFilters } from './queries';

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

/** A resource's page in a space's library (the space's layout takes the space from this page's call). */
export const SPACE_RESOURCE_ROUTE = '/(app)/spaces/[spaceId]/library/[resourceId]';

/** A resource's page's one call, asked once per request (the space's header with it, for the space's layout). */
export const openedResource = (event: Pick<RequestEvent, 'locals' | 'params'>) =>
	oncePerRequest(event.locals, 'library resource', () => {
		const resourceId = event.params.resourceId ?? '';
		return isUuid(resourceId)
			? openLibraryResource(event.locals.supabase, scopeOf(event), resourceId.toLowerCase())
			: Promise.resolve(null);
	});

export async function loadResource(event: RequestEvent) {
	const spaceId = scopeOf(event);
	if (!isUuid(event.params.resourceId ?? '')) error(404, 'Not found'); // read here too: another resource reruns this load
	const [page, user] = await Promise.all([openedResource(event), event.locals.getUser()]);
	if (!page?.detail) error(404, 'Not found');
	return { spaceId, ...page.detail, ...page.rights, userId: user?.id ?? null, threads: page.threads };
}
