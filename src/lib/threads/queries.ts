import type { Client } from '$lib/supabase/types';
import type { Database, Json } from '$lib/supabase/database.types';
import type { MemberSpace } from '$lib/spaces/queries';
import { REACTIONS, SPACE_ROLES, type ReactionKind, type SpaceRole, type Topic } from '$lib/vocabulary';
import type { ThreadCursor } from './cursor';
import type { ThreadAttachment } from '$lib/library/queries';
import type { Reader } from '$lib/meetings/queries';
import { PAGE_SIZE } from './limits';

type ThreadRow = {
	id: string;
	title: string;
	topic: Topic;
	pinned: boolean;
	locked: boolean;
	reply_count: number;
	last_activity_at: string;
	author_id: string | null;
	author: string;
	/** Activity after my last read, or after I joined (as my_spaces() counts). */
	unread: boolean;
};

type MeetingOnHome = Pick<
	Database['public']['Tables']['meetings']['Row'],
	'id' | 'topic' | 'starts_at' | 'venue'
>;

/**
 * A space's home page in one request (open_space_home(), as the caller, under
 * the policies): the space's header, a page of its thread list (after `after`),
 * the next meeting and the last one held. Null when I am not a member of the space.
 */
export async function openSpaceHome(supabase: Client, spaceId: string, after: ThreadCursor | null) {
	const { data, error } = await supabase.rpc('open_space_home', {
		p_space: spaceId,
		p_limit: PAGE_SIZE,
		...(after ? { p_after_pinned: after.pinned, p_after_at: after.at, p_after_id: after.id } : {})
	});
	if (error) throw error;
	if (!data) return null;
	const home = data as {
		space: MemberSpace;
		threads: ThreadRow[] | null;
		next_meeting: MeetingOnHome | null;
		last_meeting: Pick<MeetingOnHome, 'id' | 'starts_at'> | null;
	};
	const rows = home.threads ?? [];
	const threads = rows.slice(0, PAGE_SIZE);
	const last = threads.at(-1);
	const next =
		rows.length > PAGE_SIZE && last ? { pinned: last.pinned, at: last.last_activity_at, id: last.id } : null;
	return { space: home.space, threads, next, meetings: { next: home.next_meeting, last: home.last_meeting } };
}

export type PageJson = {
	thread: {
		id: string;
		space_id: string;
		title: string;
		topic: Topic;
		pinned: boolean;
		locked: boolean;
		reply_count: number;
		last_activity_at: string;
		author_id: string | null;
		deleted_at: string | null;
		is_dialogue: boolean;
		author: string;
	};
	posts: {
		id: string;
		author_id: string | null;
		is_opening: boolean;
		body: string;
		created_at: string;
		edited_at: string | null;
		deleted_at: string | null;
		anonymous: boolean;
		outcome: Database['public']['Enums']['post_outcome'] | null;
		author: string;
		revisions: { post_id: string; body: string; created_at: string }[];
		reactions: Partial<Record<ReactionKind, { count: number; byMe: boolean }>>;
	}[];
	members: { user_id: string; role: SpaceRole; joined_at: string; display_name: string }[];
};

/** thread_page()'s answer as the pages use it: reactions per kind, members by role then name. */
export function threadPageOf(data: PageJson, userId: string) {
	const { thread, posts, members } = data;
	const order = (role: SpaceRole) => SPACE_ROLES.indexOf(role);
	return {
		thread,
		posts: posts.map(({ reactions, ...post }) => ({
			...post,
			mine: post.author_id === userId,
			reactions: REACTIONS.map((kind) => ({
				kind,
				count: reactions[kind]?.count ?? 0,
				byMe: reactions[kind]?.byMe ?? false
			}))
		})),
		// As members() lists them: by role, then name.
		members: members.sort(
			(a, b) => order(a.role) - order(b.role) || a.display_name.localeCompare(b.display_name)
		)
	};
}

/**
 * A thread, its posts (names, earlier wordings, reactions) and its space's
 * members in one call (thread_page(), as the caller, under the policies);
 * null when I may not read it.
 */
export async function threadWithPosts(supabase: Client, threadId: string, userId: string) {
	const { data, error } = await supabase.rpc('thread_page', { p_thread: threadId });
	if (error || !data) return null;
	return threadPageOf(data as unknown as PageJson, userId);
}

/**
 * The thread page and its space's header in one request (open_thread_in_space(),
 * as the caller, under the policies). `page` is open_thread_page(): threadWithPosts()
 * with the thread's attachments, my mutes, and whether the opening post is an
 * announcement, with who has seen it for the space's moderators (null for
 * everyone else); null when the thread is not one I may read in that space.
 * Null when I am not a member of the space. My read marker moves unless `markRead` is false.
 */
export async function openThreadInSpace(
	supabase: Client,
	spaceId: string,
	threadId: string,
	markRead: boolean
) {
	const { data, error } = await supabase.rpc('open_thread_in_space', {
		p_space: spaceId,
		p_thread: threadId,
		p_mark_read: markRead
	});
	if (error || !data) return null;
	const opened = data as { space: MemberSpace; page: Json | null };
	return { space: opened.space, page: opened.page ? threadPageFrom(opened.page, '') : null };
}

function threadPageFrom(data: Json, userId: string) {
	const page = data as unknown as PageJson & {
		attachments: ThreadAttachment[];
		muted: string[];
		announcement: { post_id: string | null; marked: boolean; readers: Reader[] | null };
	};
	const { attachments, muted, announcement } = page;
	return { ...threadPageOf(page, userId), attachments, muted, announcement };
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

/**
 * Stores a reply once under its client-made id. The same id again is a
 * replay (answered as sent); an id that is already another post's stores
 * nothing, and says so (`id_taken`) instead of answering "sent".
 */
export async function reply(
	supabase: Client,
	input: { id: string; threadId: string; spaceId: string; body: string; userId: string }
) {
	const { data, error } = await supabase
		.from('posts')
		.upsert(
			{ id: input.id, thread_id: input.threadId, space_id: input.spaceId, body: input.body },
			{ onConflict: 'id', ignoreDuplicates: true }
		)
		.select('id');
	if (error || data?.length) return { error };
	return { error: await replayOrTaken(supabase, input) };
}

/** Nothing was inserted: my own earlier send of this id in this thread, or someone else's post. */
async function replayOrTaken(supabase: Client, input: { id: string; threadId: string; userId: string }) {
	const { data } = await supabase
		.from('posts')
		.select('id')
		.eq('id', input.id)
		.eq('thread_id', input.threadId)
		.eq('author_id', input.userId)
		.maybeSingle();
	return data ? null : { code: 'P0001', message: 'id_taken', details: '', hint: '' };
}

export const editPost = (supabase: Client, postId: string, body: string) =>
	supabase.from('posts').update({ body }).eq('id', postId).select('id');

export const removePost = (supabase: Client, postId: string) =>
	supabase.from('posts').update({ deleted_at: new Date().toISOString() }).eq('id', postId).select('id');

/** My reaction of one kind on a post, on or off; the same again changes nothing. */
export const setReaction = (
	supabase: Client,
	{ postId, userId, kind, on }: { postId: string; userId: string; kind: ReactionKind; on: boolean }
) =>
	on
		? supabase
				.from('reactions')
				.upsert(
					{ post_id: postId, user_id: userId, kind },
					{ onConflict: 'post_id,user_id,kind', ignoreDuplicates: true }
				)
		: supabase.from('reactions').delete().eq('post_id', postId).eq('user_id', userId).eq('kind', kind);

export const setThreadFlags = (
	supabase: Client,
	threadId: string,
	flags: { pinned?: boolean; locked?: boolean }
) => supabase.from('threads').update(flags).eq('id', threadId).select('id');

export async function searchSpace(supabase: Client, spaceId: string, query: string) {
	const { data, error } = await supabase.rpc('search_space', {
		p_space: spaceId,
		p_query: query,
		p_limit: 30
	});
	if (error) throw error;
	return data ?? [];
}

/** Tells the thread's readers that I am typing, through the database (which adds who I am). */
export const announceTyping = (supabase: Client, threadId: string) =>
	supabase.rpc('thread_typing', { p_thread: threadId });
