import { LIVE } from '$lib/keys';
import type { PageServerLoad } from './$types';
import { openMySpaces } from '$lib/spaces/queries';

export const load = (async ({ locals, depends }) => {
	depends(LIVE.spaces); // refetched by live updates
	const user = await locals.getUser();
	if (!user) return { spaces: [], dialogues: [], programme: null, unseenNotices: 0, loadedAt: Date.now() };
	// In one call (issue 24): my spaces; the dialogues I am a guest of (a guest is in
	// no space: the dialogues are their home); whether I am a programme officer or
	// curator; and what the moderators told me, not read yet (issue 26).
	return { ...(await openMySpaces(locals.supabase)), loadedAt: Date.now() };
}) satisfies PageServerLoad;
