import { error } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { spaceForMember } from '$lib/spaces/queries';
import { isUuid } from '$lib/ui/form';

// No parent(): the space is asked for with the session alone, beside the
// session check in the layouts above (which redirect the signed-out).
export const load = (async ({ locals, params }) => {
	// Not a member and no such space look the same: spaces are private.
	const space = isUuid(params.spaceId) ? await spaceForMember(locals.supabase, params.spaceId) : null;
	if (!space) error(404, 'Not found');
	return { space };
}) satisfies LayoutServerLoad;
