// The audit log of a space, for its facilitators (space_audit() returns nothing to anyone else).
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { spaceAudit } from '$lib/moderation/queries';

export const load = (async ({ locals, params, parent }) => {
	const [{ space }, entries] = await Promise.all([parent(), spaceAudit(locals.supabase, params.spaceId)]);
	if (space.myRole !== 'facilitator') error(404, 'Not found');
	return { entries };
}) satisfies PageServerLoad;
