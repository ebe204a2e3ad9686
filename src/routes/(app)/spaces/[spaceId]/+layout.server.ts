import { error } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { spaceForMember } from '$lib/spaces/queries';
import { isUuid } from '$lib/ui/form';

export const load = (async ({ locals, params, parent }) => {
	const { userId } = await parent();
	// Not a member and no such space look the same: spaces are private.
	const space = isUuid(params.spaceId) ? await spaceForMember(locals.supabase, params.spaceId, userId) : null;
	if (!space) error(404, 'Not found');
	return { space };
}) satisfies LayoutServerLoad;
