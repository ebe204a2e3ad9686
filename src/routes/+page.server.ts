import { LIVE } from '$lib/keys';
import type { PageServerLoad } from './$types';
import { mySpaces } from '$lib/spaces/queries';
import { myDialogues } from '$lib/dialogues/queries';
import { programmeStanding } from '$lib/programme/queries';

export const load = (async ({ locals, depends }) => {
	depends(LIVE.spaces); // refetched by live updates
	const user = await locals.getUser();
	if (!user) return { spaces: [], dialogues: [], programme: null, loadedAt: Date.now() };
	// A guest of a dialogue is in no space: the dialogues are their home.
	const [spaces, dialogues, programme] = await Promise.all([
		mySpaces(locals.supabase),
		myDialogues(locals.supabase),
		programmeStanding(locals.supabase)
	]);
	return { spaces, dialogues, programme, loadedAt: Date.now() };
}) satisfies PageServerLoad;
