import type { Client } from '$lib/supabase/types';
import { REACTIONS, type ReactionKind, type Topic } from '$lib/vocabulary';
import { displayNames } from '$lib/supabase/types';
import type { ThreadCursor } from './cursor';

export const TITLE_MAX = 200;
export const BODY_MAX = 10_000;
export const PAGE_SIZE = 30;

/** Unread: activity after my last read, or after I joined (as my_spaces() counts). */
export async function threadList(
	supabase: Client,
	space: { id: string; joinedAt: string },
	userId: string,
	after: ThreadCursor | null
) {
	const spaceId = space.id;
	let query = supabase
		.from('threads')
		.select('id, title, topic, pinned, locked, reply_count, last_activity_at, author_id')
		.eq('space_id', spaceId)
		.is('deleted_at', null)
		// Dialogues have their own list (src/lib/dialogues).
		.eq('is_dialogue', false)
		.order('pinned', { ascending: false })
		.order('last_activity_at', { ascending: false })
		.order('id', { ascending: false })
		.limit(PAGE_SIZE + 1);
	if (after) {
		// Rows after the cursor in (pinned desc, last_activity_at desc, id desc) order.
		const p = after.pinned;
		query = query.or(
			[
				...(p ? ['pinned.eq.false'] : []),
				`and(pinned.eq.${p},last_activity_at.lt.${after.at})`,
				`and(pinned.eq.${p},last_activity_at.eq.${after.at},id.lt.${after.id})`
			].join(',')
		);
	}
	const [{ data: rows, error }, { data: reads }] = await Promise.all([
		query,
		supabase.from('thread_reads').select('thread_id, last_read_at').eq('user_id', userId)
	]);
	if (error) throw error;
	const page = (rows ?? []).slice(0, PAGE_SIZE);
	const readAt = new Map((reads ?? []).map((r) => [r.thread_id, r.last_read_at]));
	const names = await displayNames(
		supabase,
		page.map((t) => t.author_id)
	);
	const threads = page.map((t) => ({
		...t,
		author: names.get(t.author_id ?? '') ?? '',
		unread: Date.parse(readAt.get(t.id) ?? space.joinedAt) < Date.parse(t.last_activity_at)
	}));
	const last = page.at(-1);
	const next =
		(rows ?? []).length > PAGE_SIZE && last
			? { pinned: last.pinned, at: last.last_activity_at, id: last.id }
			: null;
	return { threads, next };
}

export async function threadWithPosts(supabase: Client, threadId: string, userId: string) {
	const { data: thread } = await supabase
		.from('threads')
		.select(
			'id, space_id, title, topic, pinned, locked, reply_count, last_activity_at, author_id, deleted_at, is_dialogue'
		)
		.eq('id', threadId)
		.maybeSingle();
	if (!thread) return null;
	const { data: posts } = await supabase
		.from('posts')
		.select('id, author_id, is_opening, body, created_at, edited_at, deleted_at, anonymous, outcome')
		.eq('thread_id', threadId)
		.order('created_at')
		.order('id')
		.limit(1000);
	const postIds = (posts ?? []).map((p) => p.id);
	const editedIds = (posts ?? []).filter((p) => p.edited_at && !p.deleted_at).map((p) => p.id);
	const [{ data: reactions }, { data: revisions }, names] = await Promise.all([
		postIds.length
			? supabase.from('reactions').select('post_id, user_id, kind').in('post_id', postIds)
			: Promise.resolve({ data: [] as { post_id: string; user_id: string; kind: ReactionKind }[] }),
		editedIds.length
			? supabase
					.from('post_revisions')
					.select('post_id, body, created_at')
					.in('post_id', editedIds)
					.order('id')
			: Promise.resolve({ data: [] as { post_id: string; body: string; created_at: string }[] }),
		displayNames(supabase, [thread.author_id, ...(posts ?? []).map((p) => p.author_id)])
	]);
	return {
		thread: { ...thread, author: names.get(thread.author_id ?? '') ?? '' },
		posts: (posts ?? []).map((post) => {
			const mine = (reactions ?? []).filter((r) => r.post_id === post.id);
			return {
				...post,
				// A removed post keeps its place in the conversation but not its words.
				body: post.deleted_at ? '' : post.body,
				author: names.get(post.author_id ?? '') ?? '',
				mine: post.author_id === userId,
				// Earlier wordings, oldest first: edits stay visible to the space.
				revisions: (revisions ?? []).filter((r) => r.post_id === post.id),
				reactions: REACTIONS.map((kind) => ({
					kind,
					count: mine.filter((r) => r.kind === kind).length,
					byMe: mine.some((r) => r.kind === kind && r.user_id === userId)
				}))
			};
		})
	};
}

export const startThread = (
	supabase: Client,
	input: { spaceId: string; title: string; body: string; topic: Topic; id: string }
) =>
	supabase.rpc('start_thread', {
		p_space: input.spaceId,
		p_title: input.title,
		p_body: input.body,
		p_topic: input.topic,
		p_id: input.id
	});

/** Idempotent by id: a retried or replayed reply is stored once. */
export const reply = (
	supabase: Client,
	input: { id: string; threadId: string; spaceId: string; body: string }
) =>
	supabase
		.from('posts')
		.upsert(
			{ id: input.id, thread_id: input.threadId, space_id: input.spaceId, body: input.body },
			{ onConflict: 'id', ignoreDuplicates: true }
		);

export const editPost = (supabase: Client, postId: string, body: string) =>
	supabase.from('posts').update({ body }).eq('id', postId).select('id');

export const removePost = (supabase: Client, postId: string) =>
	supabase.from('posts').update({ deleted_at: new Date().toISOString() }).eq('id', postId).select('id');

export async function toggleReaction(supabase: Client, postId: string, userId: string, kind: ReactionKind) {
	const removed = await supabase
		.from('reactions')
		.delete()
		.eq('post_id', postId)
		.eq('user_id', userId)
		.eq('kind', kind)
		.select('id');
	if (removed.error || (removed.data ?? []).length) return removed;
	return supabase.from('reactions').insert({ post_id: postId, user_id: userId, kind }).select('id');
}

export const setThreadFlags = (
	supabase: Client,
	threadId: string,
	flags: { pinned?: boolean; locked?: boolean }
) => supabase.from('threads').update(flags).eq('id', threadId).select('id');

export const markRead = (supabase: Client, threadId: string) =>
	supabase.rpc('mark_thread_read', { p_thread: threadId });

export async function searchSpace(supabase: Client, spaceId: string, query: string) {
	const { data, error } = await supabase.rpc('search_space', {
		p_space: spaceId,
		p_query: query,
		p_limit: 30
	});
	if (error) throw error;
	return data ?? [];
}
