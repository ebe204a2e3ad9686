// Helpers of the report page: where "back" leads, and whether I muted or blocked the author.
import type { Client } from '$lib/supabase/types';

/** A path inside the app to go back to (never another site), or the post's own page. */
export function readBack(
	url: URL,
	post: { threadId: string; spaceId: string; isDialogue: boolean; id: string }
) {
	const back = url.searchParams.get('back') ?? '';
	if (/^\/(?![/\\])[^\s]*$/.test(back)) return back;
	return post.isDialogue
		? `/dialogues/${post.threadId}#post-${post.id}`
		: `/spaces/${post.spaceId}/threads/${post.threadId}#post-${post.id}`;
}

export async function mutedOrBlocked(supabase: Client, otherId: string) {
	const { data } = await supabase.from('person_filters').select('kind').eq('other_id', otherId);
	const kinds = new Set((data ?? []).map((f) => f.kind));
	return { mute: kinds.has('mute'), block: kinds.has('block') };
}
