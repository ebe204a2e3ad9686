import { LIVE } from '$lib/keys';
import type { PageServerLoad } from './$types';
import { mySpaces } from '$lib/spaces/queries';
import { myDialogues } from '$lib/dialogues/queries';
import { programmeStanding } from '$lib/programme/queries';
import { unseenNoticeCount } from '$lib/moderation/queries';

export const load = (async ({ locals, depends }) => {
	depends(LIVE.spaces); // refetched by live updates
	const user = await locals.getUser();
	if (!user) return { spaces: [], dialogues: [], programme: null, unseenNotices: 0, loadedAt: Date.now() };
	// A guest of a dialogue is in no space: the dialogues are their home.
	const [spaces, dialogues, programme, unseenNotices] = await Promise.all([
		mySpaces(locals.supabase),
		myDialogues(locals.supabase),
		programmeStanding(locals.supabase),
		unseenNoticeCount(locals.supabase) // what the moderators told me, not read yet (issue 26)
	]);
	return { spaces, dialogues, programme, unseenNotices, loadedAt: Date.now() };
}) satisfies PageServerLoad;
