import { LIVE } from '$lib/keys';
import type { PageServerLoad } from './$types';
import { mySpaces } from '$lib/spaces/queries';
import { myDialogues } from '$lib/dialogues/queries';

export const load = (async ({ locals, depends }) => {
	depends(LIVE.spaces); // refetched by live updates
	const user = await locals.getUser();
	if (!user) return { spaces: [], dialogues: [], loadedAt: Date.now() };
	// A guest of a dialogue is in no space: the dialogues are their home.
	const [spaces, dialogues] = await Promise.all([mySpaces(locals.supabase), myDialogues(locals.supabase)]);
	return { spaces, dialogues, loadedAt: Date.now() };
}) satisfies PageServerLoad;
