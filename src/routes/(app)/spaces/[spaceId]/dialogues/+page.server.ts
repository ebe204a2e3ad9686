import type { PageServerLoad } from './$types';
import { LIVE } from '$lib/keys';
import { spaceDialogues } from '$lib/dialogues/queries';

export const load = (async ({ locals, params, parent, depends }) => {
	depends(LIVE.threads);
	const [{ space }, dialogues] = await Promise.all([
		parent(),
		spaceDialogues(locals.supabase, params.spaceId)
	]);
	return {
		dialogues,
		canConvene: space.myRole === 'facilitator' || space.myRole === 'leader',
		loadedAt: Date.now()
	};
}) satisfies PageServerLoad;
