// Threads, posts and post revisions, and start_thread(): who reads, starts,
// replies, edits, removes, pins and locks, through supabase-js and real RLS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, startTestStack, type Person, type TestStack } from '../helpers/stack';
import {
	countRows,
	createSpace,
	newId,
	refusedOrNoRows,
	signUpCast,
	snapshot,
	spaceWithCast,
	type Cast
} from '../helpers/spaces';
import { refusalKind } from '$lib/supabase/errors';
import type { Database } from '$lib/supabase/database.types';

type Topic = Database['public']['Enums']['thread_topic'];

let stack: TestStack;
let cast: Cast;
let spaceId: string;
/** A second space where `member` is the facilitator (to try cross-space writes). */
let memberOwnSpace: string;
/** A space of the outsider's own. */
let outsiderSpace: string;
let threadId: string;
let openingId: string;
let leaderReplyId: string;
let removedThreadId: string;

async function startThread(
	who: Person,
	title: string,
	body = 'Nội dung',
	topic: Topic = 'other',
	id = newId()
) {
	return who.client.rpc('start_thread', {
		p_space: spaceId,
		p_title: title,
		p_body: body,
		p_topic: topic,
		p_id: id
	});
}
/** Starts a thread as `who` and returns its id and the opening post's id. */
async function thread(who: Person, title = 'Chủ đề') {
	const id = newId();
	const started = await startThread(who, title, `Mở đầu: ${title}`, 'other', id);
	expect(started.error).toBeNull();
	const { data } = await who.client.from('posts').select('id').eq('thread_id', id).eq('is_opening', true);
	expect(data).toHaveLength(1);
	return { id, openingId: data![0].id };
}
const reply = (who: Person, thread: string, body: string, id = newId(), space = spaceId) =>
	who.client.from('posts').insert({ id, thread_id: thread, space_id: space, body }).select('id, space_id');
const postRow = async (id: string) =>
	(await stack.sql<Record<string, unknown>>('select * from public.posts where id = $1', [id]))[0];
const threadRow = async (id: string) =>
	(await stack.sql<Record<string, unknown>>('select * from public.threads where id = $1', [id]))[0];

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack);
	spaceId = await spaceWithCast(cast, async (space) => {
		removedThreadId = newId();
		const started = await cast.removed.client.rpc('start_thread', {
			p_space: space,
			p_title: 'Written before removal',
			p_body: 'Old words',
			p_topic: 'health',
			p_id: removedThreadId
		});
		expect(started.error).toBeNull();
	});
	memberOwnSpace = await createSpace(cast.member, { name: 'Member’s own space' });
	outsiderSpace = await createSpace(cast.outsider, { name: 'Outsider’s own space' });
	({ id: threadId, openingId } = await thread(cast.member, 'Quyền lợi bảo hiểm xã hội'));
	leaderReplyId = newId();
	expect((await reply(cast.leader, threadId, 'Chị sẽ hỏi cán bộ BHXH.', leaderReplyId)).error).toBeNull();
});
afterAll(async () => {
	await stack?.stop();
});

describe('reading threads and posts', () => {
	it('members of every role read the threads and posts of their space', async () => {
		for (const who of [cast.facilitator, cast.leader, cast.deputy, cast.member]) {
			const threads = await who.client.from('threads').select('id').eq('space_id', spaceId).order('id');
			expect(threads.data?.map((t) => t.id).sort()).toEqual([threadId, removedThreadId].sort());
			const posts = await who.client.from('posts').select('id').eq('thread_id', threadId);
			expect(posts.data?.map((p) => p.id).sort()).toEqual([openingId, leaderReplyId].sort());
		}
	});

	it('outsiders, removed members (their own old thread included) and anon read nothing, filtered or not', async () => {
		for (const who of [cast.outsider, cast.removed]) {
			expect((await who.client.from('threads').select('id').eq('space_id', spaceId)).data).toEqual([]);
			expect((await who.client.from('threads').select('id').eq('id', removedThreadId)).data).toEqual([]);
			expect((await who.client.from('posts').select('id').eq('thread_id', threadId)).data).toEqual([]);
			const allThreads = (await who.client.from('threads').select('space_id')).data ?? [];
			expect(allThreads.filter((t) => t.space_id === spaceId)).toEqual([]);
			const allPosts = (await who.client.from('posts').select('space_id')).data ?? [];
			expect(allPosts.filter((p) => p.space_id === spaceId)).toEqual([]);
		}
		const anon = anonClient(stack);
		expect((await anon.from('threads').select('id')).data ?? []).toEqual([]);
		expect((await anon.from('posts').select('id')).data ?? []).toEqual([]);
		expect((await anon.from('post_revisions').select('id')).data ?? []).toEqual([]);
	});
});

describe('start_thread()', () => {
	it('members of every role start a thread with its opening post', async () => {
		for (const who of [cast.facilitator, cast.leader, cast.deputy, cast.member]) {
			const id = newId();
			const { data, error } = await startThread(
				who,
				'  Giờ làm thêm  ',
				'Ai biết luật mới?',
				'labour_law',
				id
			);
			expect(error).toBeNull();
			expect(data).toBe(id);
			const row = await threadRow(id);
			expect(row).toMatchObject({
				space_id: spaceId,
				author_id: who.id,
				title: 'Giờ làm thêm',
				topic: 'labour_law',
				pinned: false,
				locked: false,
				reply_count: 0,
				deleted_at: null
			});
			const posts = await stack.sql(
				'select author_id, space_id, is_opening, body from public.posts where thread_id = $1',
				[id]
			);
			expect(posts).toEqual([
				{ author_id: who.id, space_id: spaceId, is_opening: true, body: 'Ai biết luật mới?' }
			]);
		}
	});

	it('replaying the same submission (same p_id) makes one thread with one opening post', async () => {
		const id = newId();
		const first = await startThread(cast.member, 'Gửi hai lần', 'Mạng chập chờn', 'club_life', id);
		const again = await startThread(cast.member, 'Gửi hai lần', 'Mạng chập chờn', 'club_life', id);
		const third = await startThread(cast.member, 'Changed title', 'Changed body', 'health', id);
		expect([first.data, again.data, third.data]).toEqual([id, id, id]);
		expect([first.error, again.error, third.error]).toEqual([null, null, null]);
		expect(await countRows(stack, 'select 1 from public.threads where id = $1', [id])).toBe(1);
		expect(await countRows(stack, 'select 1 from public.posts where thread_id = $1', [id])).toBe(1);
		expect(await threadRow(id)).toMatchObject({ title: 'Gửi hai lần', topic: 'club_life' });
	});

	it('outsiders, removed members and anon cannot start a thread, and nothing is stored', async () => {
		const before = await countRows(stack, 'select 1 from public.threads');
		const postsBefore = await countRows(stack, 'select 1 from public.posts');
		for (const who of [cast.outsider, cast.removed]) {
			const { data, error } = await startThread(who, 'Intruder', 'Hello');
			expect(data).toBeNull();
			expect(refusalKind(error)).toBe('row_security');
		}
		const anon = await anonClient(stack).rpc('start_thread', {
			p_space: spaceId,
			p_title: 'Anon',
			p_body: 'Hello',
			p_topic: 'other'
		});
		expect(anon.error).not.toBeNull();
		expect(await countRows(stack, 'select 1 from public.threads')).toBe(before);
		expect(await countRows(stack, 'select 1 from public.posts')).toBe(postsBefore);
	});

	it('refuses empty and oversize titles and bodies as check violations, storing nothing; the limits themselves pass', async () => {
		const threadsBefore = await countRows(stack, 'select 1 from public.threads');
		const postsBefore = await countRows(stack, 'select 1 from public.posts');
		const bad: [string, string][] = [
			['', 'body'],
			['    ', 'body'],
			['x'.repeat(201), 'body'],
			['ok', ''],
			['ok', '     '],
			['ok', 'y'.repeat(10_001)],
			['ok', 'ក'.repeat(10_001)]
		];
		for (const [title, body] of bad) {
			const { data, error } = await startThread(cast.member, title, body);
			expect(data, `${title.length}/${body.length}`).toBeNull();
			expect(refusalKind(error), `${title.length}/${body.length}`).toBe('check');
		}
		expect(await countRows(stack, 'select 1 from public.threads')).toBe(threadsBefore);
		expect(await countRows(stack, 'select 1 from public.posts')).toBe(postsBefore);

		const atLimit = await startThread(cast.member, 'T'.repeat(200), 'ក'.repeat(10_000));
		expect(atLimit.error).toBeNull();
	});

	// Fixed in migration 20261122000900 (was: the checks use trim(), which strips spaces only, so a
	// body (or title) made of line breaks and tabs passes as "not empty" and is stored).
	it('a body or title made only of line breaks and tabs is refused as empty', async () => {
		const threadsBefore = await countRows(stack, 'select 1 from public.threads');
		const postsBefore = await snapshot(stack, 'posts', 'thread_id = $1', [threadId]);
		const blankBody = await startThread(cast.member, 'Blank body', '\n\n\t');
		expect(refusalKind(blankBody.error)).toBe('check');
		const blankTitle = await startThread(cast.member, '\n\t', 'Body');
		expect(refusalKind(blankTitle.error)).toBe('check');
		const blankReply = await reply(cast.member, threadId, ' \r\n ');
		expect(refusalKind(blankReply.error)).toBe('check');
		expect(await countRows(stack, 'select 1 from public.threads')).toBe(threadsBefore);
		expect(await snapshot(stack, 'posts', 'thread_id = $1', [threadId])).toEqual(postsBefore);
	});

	it('a direct thread insert cannot arrive pinned, locked, counted or in someone else’s name', async () => {
		const before = await countRows(stack, 'select 1 from public.threads');
		for (const extra of [
			{ pinned: true },
			{ locked: true },
			{ reply_count: 5 },
			{ author_id: cast.leader.id }
		]) {
			const { error } = await cast.member.client
				.from('threads')
				.insert({ space_id: spaceId, title: 'Direct', author_id: cast.member.id, ...extra });
			expect(refusalKind(error), JSON.stringify(extra)).toBe('row_security');
		}
		const elsewhere = await cast.member.client
			.from('threads')
			.insert({ space_id: outsiderSpace, title: 'Not my space', author_id: cast.member.id });
		expect(refusalKind(elsewhere.error)).toBe('row_security');
		expect(await countRows(stack, 'select 1 from public.threads')).toBe(before);
	});

	// Fixed in migration 20261122000900 (was: a direct insert into threads may carry any created_at
	// and last_activity_at (the update guard protects them, the insert does not), so a member can put
	// a thread on top of the list and unread for everyone until 2099).
	it('a member cannot date a new thread in the future or the past', async () => {
		const id = newId();
		await cast.member.client.from('threads').insert({
			id,
			space_id: spaceId,
			title: 'Always on top',
			author_id: cast.member.id,
			created_at: '2000-01-01T00:00:00Z',
			last_activity_at: '2099-01-01T00:00:00Z'
		});
		const row = await threadRow(id);
		if (row) {
			const now = Date.now();
			expect(new Date(row.last_activity_at as string).getTime()).toBeLessThanOrEqual(now + 60_000);
			expect(new Date(row.created_at as string).getTime()).toBeGreaterThan(now - 10 * 60_000);
		}
		expect(
			await countRows(
				stack,
				"select 1 from public.threads where last_activity_at > now() + interval '1 hour'"
			)
		).toBe(0);
	});
});

describe('replies', () => {
	it('members of every role reply; a replayed id is one row and the second insert is refused as unique', async () => {
		const { id } = await thread(cast.member, 'Replies');
		for (const who of [cast.facilitator, cast.leader, cast.deputy, cast.member]) {
			const postId = newId();
			const first = await reply(who, id, 'Một lần thôi', postId);
			expect(first.error).toBeNull();
			expect(first.data).toEqual([{ id: postId, space_id: spaceId }]);
			const second = await reply(who, id, 'Một lần thôi', postId);
			expect(refusalKind(second.error)).toBe('unique');
			const replay = await who.client
				.from('posts')
				.upsert(
					{ id: postId, thread_id: id, space_id: spaceId, body: 'Một lần thôi' },
					{ onConflict: 'id', ignoreDuplicates: true }
				);
			expect(replay.error).toBeNull();
			expect(await countRows(stack, 'select 1 from public.posts where id = $1', [postId])).toBe(1);
		}
		expect(await threadRow(id)).toMatchObject({ reply_count: 4 });
	});

	it('empty and oversize replies are refused as check violations and nothing is stored', async () => {
		const before = await snapshot(stack, 'posts', 'thread_id = $1', [threadId]);
		for (const body of ['', '   ', 'z'.repeat(10_001)]) {
			expect(refusalKind((await reply(cast.member, threadId, body)).error)).toBe('check');
		}
		expect(await snapshot(stack, 'posts', 'thread_id = $1', [threadId])).toEqual(before);
	});

	it('outsiders, removed members and anon cannot reply', async () => {
		const before = await snapshot(stack, 'posts', 'thread_id = $1', [threadId]);
		for (const who of [cast.outsider, cast.removed]) {
			expect(refusalKind((await reply(who, threadId, 'Let me in')).error)).toBe('row_security');
		}
		const anon = await anonClient(stack)
			.from('posts')
			.insert({ thread_id: threadId, space_id: spaceId, body: 'Anon words' });
		expect(anon.error).not.toBeNull();
		expect(await snapshot(stack, 'posts', 'thread_id = $1', [threadId])).toEqual(before);
	});

	it('a post’s space always comes from its thread, whatever space the client claims', async () => {
		// A member of both spaces claims the other one: stored in the thread's space.
		const { data, error } = await reply(
			cast.member,
			threadId,
			'Claiming my own space',
			newId(),
			memberOwnSpace
		);
		expect(error).toBeNull();
		expect(data).toEqual([{ id: expect.any(String), space_id: spaceId }]);
		expect((await postRow(data![0].id)).space_id).toBe(spaceId);
		// An outsider claims their own space to get into this thread: refused.
		const sneaky = await reply(cast.outsider, threadId, 'Through my space', newId(), outsiderSpace);
		expect(refusalKind(sneaky.error)).toBe('row_security');
		expect(await countRows(stack, 'select 1 from public.posts where body = $1', ['Through my space'])).toBe(
			0
		);
		// A member claims this space for a thread of a space they do not belong to: refused.
		const { data: outsiderThread } = await cast.outsider.client.rpc('start_thread', {
			p_space: outsiderSpace,
			p_title: 'Private',
			p_body: 'Only mine',
			p_topic: 'other'
		});
		const reverse = await reply(cast.member, outsiderThread!, 'Into your space', newId(), spaceId);
		expect(refusalKind(reverse.error)).toBe('row_security');
		expect(await countRows(stack, 'select 1 from public.posts where thread_id = $1', [outsiderThread])).toBe(
			1
		);
	});

	it('a reply cannot arrive in someone else’s name, already edited or already removed', async () => {
		const before = await snapshot(stack, 'posts', 'thread_id = $1', [threadId]);
		const now = new Date().toISOString();
		for (const extra of [{ author_id: cast.leader.id }, { edited_at: now }, { deleted_at: now }]) {
			const { error } = await cast.member.client
				.from('posts')
				.insert({ thread_id: threadId, space_id: spaceId, body: 'Forged', ...extra });
			expect(refusalKind(error), JSON.stringify(extra)).toBe('row_security');
		}
		const secondOpening = await cast.member.client
			.from('posts')
			.insert({ thread_id: threadId, space_id: spaceId, body: 'Another opening', is_opening: true });
		expect(refusalKind(secondOpening.error)).toBe('unique');
		expect(await snapshot(stack, 'posts', 'thread_id = $1', [threadId])).toEqual(before);
	});

	it('nobody replies in a removed (soft-deleted) thread', async () => {
		const { id } = await thread(cast.member, 'To be removed');
		const removed = await cast.member.client
			.from('threads')
			.update({ deleted_at: new Date().toISOString() })
			.eq('id', id)
			.select('id');
		expect(removed.data).toEqual([{ id }]);
		for (const who of [cast.member, cast.facilitator]) {
			expect(refusalKind((await reply(who, id, 'Anyone here?')).error)).toBe('row_security');
		}
		expect(await countRows(stack, 'select 1 from public.posts where thread_id = $1', [id])).toBe(1);
	});
});

describe('editing posts', () => {
	it('the author edits: edited_at is set and the earlier version is kept for members to read', async () => {
		const postId = newId();
		expect((await reply(cast.deputy, threadId, 'Bản đầu tiên', postId)).error).toBeNull();
		expect((await postRow(postId)).edited_at).toBeNull();
		const first = await cast.deputy.client
			.from('posts')
			.update({ body: 'Bản thứ hai' })
			.eq('id', postId)
			.select('body, edited_at');
		expect(first.error).toBeNull();
		expect(first.data?.[0].body).toBe('Bản thứ hai');
		expect(first.data?.[0].edited_at).toBeTruthy();
		expect(
			(await cast.deputy.client.from('posts').update({ body: 'Bản thứ ba' }).eq('id', postId)).error
		).toBeNull();

		for (const who of [cast.facilitator, cast.leader, cast.deputy, cast.member]) {
			const { data } = await who.client
				.from('post_revisions')
				.select('body')
				.eq('post_id', postId)
				.order('id');
			expect(data).toEqual([{ body: 'Bản đầu tiên' }, { body: 'Bản thứ hai' }]);
		}
		for (const who of [cast.outsider, cast.removed]) {
			expect((await who.client.from('post_revisions').select('body').eq('post_id', postId)).data).toEqual([]);
		}
		expect(
			(await anonClient(stack).from('post_revisions').select('body').eq('post_id', postId)).data ?? []
		).toEqual([]);
	});

	it('nobody edits someone else’s post: members match no row, moderators are refused, nothing changes', async () => {
		const before = await postRow(leaderReplyId);
		const revisionsBefore = await countRows(stack, 'select 1 from public.post_revisions where post_id = $1', [
			leaderReplyId
		]);
		for (const who of [cast.member, cast.outsider, cast.removed]) {
			const res = await who.client.from('posts').update({ body: 'Hacked' }).eq('id', leaderReplyId).select();
			expect(refusedOrNoRows(res)).toBe(true);
		}
		for (const who of [cast.facilitator, cast.deputy]) {
			const res = await who.client
				.from('posts')
				.update({ body: 'Moderated words' })
				.eq('id', leaderReplyId)
				.select();
			expect(res.error?.message).toContain('not_allowed');
		}
		expect(await postRow(leaderReplyId)).toEqual(before);
		expect(
			await countRows(stack, 'select 1 from public.post_revisions where post_id = $1', [leaderReplyId])
		).toBe(revisionsBefore);
	});

	it('an edit is held to the same limits as a new post', async () => {
		const before = await postRow(leaderReplyId);
		for (const body of ['', 'x'.repeat(10_001)]) {
			const res = await cast.leader.client.from('posts').update({ body }).eq('id', leaderReplyId);
			expect(refusalKind(res.error)).toBe('check');
		}
		expect(await postRow(leaderReplyId)).toEqual(before);
	});

	it('an author cannot move a post or rewrite who wrote it and when', async () => {
		const postId = newId();
		expect((await reply(cast.member, threadId, 'Stay where you are', postId)).error).toBeNull();
		const { id: otherThread } = await thread(cast.member, 'Another thread');
		const before = await postRow(postId);
		for (const change of [
			{ thread_id: otherThread },
			{ space_id: memberOwnSpace },
			{ author_id: cast.leader.id },
			{ is_opening: true },
			{ created_at: '2001-01-01T00:00:00Z' }
		]) {
			const res = await cast.member.client.from('posts').update(change).eq('id', postId).select();
			expect(refusedOrNoRows(res), JSON.stringify(change)).toBe(true);
		}
		expect(await postRow(postId)).toEqual(before);
	});

	it('nobody writes post revisions directly', async () => {
		const before = await snapshot(stack, 'post_revisions', 'true');
		const [some] = before as { id: number }[];
		expect(some).toBeDefined();
		for (const who of [cast.facilitator, cast.leader, cast.member]) {
			expect(
				(await who.client.from('post_revisions').insert({ post_id: leaderReplyId, body: 'forged history' }))
					.error
			).not.toBeNull();
			const update = await who.client
				.from('post_revisions')
				.update({ body: 'rewritten' })
				.eq('id', some.id)
				.select();
			expect(refusedOrNoRows(update)).toBe(true);
			const remove = await who.client.from('post_revisions').delete().eq('id', some.id).select();
			expect(refusedOrNoRows(remove)).toBe(true);
		}
		expect(await snapshot(stack, 'post_revisions', 'true')).toEqual(before);
	});

	// Fixed in migration 20261122000900 (was: edited_at (and deleted_by) are plain columns the author
	// may write, so after an edit the author can clear the "edited" mark while the earlier version
	// stays in post_revisions).
	it('an author cannot hide that a post was edited', async () => {
		const postId = newId();
		expect((await reply(cast.member, threadId, 'Lời nói đầu', postId)).error).toBeNull();
		expect(
			(await cast.member.client.from('posts').update({ body: 'Lời nói sau' }).eq('id', postId)).error
		).toBeNull();
		const editedAt = (await postRow(postId)).edited_at;
		expect(editedAt).not.toBeNull();
		await cast.member.client.from('posts').update({ edited_at: null }).eq('id', postId);
		await cast.member.client.from('posts').update({ deleted_by: cast.leader.id }).eq('id', postId);
		expect(await postRow(postId)).toMatchObject({ edited_at: editedAt, deleted_by: null });
	});
});

describe('removing posts and threads', () => {
	it('the author and moderators remove softly: deleted_at and deleted_by are set and the row stays', async () => {
		const mine = newId();
		const theirs = newId();
		expect((await reply(cast.member, threadId, 'I take this back', mine)).error).toBeNull();
		expect((await reply(cast.member, threadId, 'A moderator removes this', theirs)).error).toBeNull();

		const byAuthor = await cast.member.client
			.from('posts')
			.update({ deleted_at: new Date().toISOString() })
			.eq('id', mine)
			.select('id, deleted_at');
		expect(byAuthor.data?.[0].deleted_at).toBeTruthy();
		const byModerator = await cast.deputy.client
			.from('posts')
			.update({ deleted_at: new Date().toISOString() })
			.eq('id', theirs)
			.select('id');
		expect(byModerator.data).toEqual([{ id: theirs }]);

		expect(await postRow(mine)).toMatchObject({ deleted_by: cast.member.id, body: 'I take this back' });
		expect(await postRow(theirs)).toMatchObject({ deleted_by: cast.deputy.id });
		expect((await postRow(theirs)).deleted_at).not.toBeNull();
		// Still listed for members, shown as removed.
		const seen = await cast.leader.client.from('posts').select('id, deleted_at').in('id', [mine, theirs]);
		expect(seen.data).toHaveLength(2);
		expect(seen.data!.every((p) => p.deleted_at !== null)).toBe(true);

		const undo = await cast.member.client.from('posts').update({ deleted_at: null }).eq('id', mine);
		expect(undo.error?.message).toContain('post_deleted');
		const editRemoved = await cast.member.client.from('posts').update({ body: 'Back again' }).eq('id', mine);
		expect(editRemoved.error?.message).toContain('post_deleted');
		expect(await postRow(mine)).toMatchObject({ body: 'I take this back' });
	});

	it('a member cannot remove someone else’s post', async () => {
		const before = await postRow(leaderReplyId);
		for (const who of [cast.member, cast.outsider, cast.removed]) {
			const res = await who.client
				.from('posts')
				.update({ deleted_at: new Date().toISOString() })
				.eq('id', leaderReplyId)
				.select();
			expect(refusedOrNoRows(res)).toBe(true);
		}
		expect(await postRow(leaderReplyId)).toEqual(before);
	});

	it('nobody hard-deletes a post or a thread, not even a facilitator or the author', async () => {
		const postsBefore = await snapshot(stack, 'posts', 'space_id = $1', [spaceId]);
		const threadsBefore = await snapshot(stack, 'threads', 'space_id = $1', [spaceId]);
		for (const who of [
			cast.facilitator,
			cast.leader,
			cast.deputy,
			cast.member,
			cast.outsider,
			cast.removed
		]) {
			const post = await who.client.from('posts').delete().eq('id', openingId).select();
			expect(refusedOrNoRows(post)).toBe(true);
			const thread = await who.client.from('threads').delete().eq('id', threadId).select();
			expect(refusedOrNoRows(thread)).toBe(true);
		}
		await anonClient(stack).from('posts').delete().eq('id', openingId);
		expect(await snapshot(stack, 'posts', 'space_id = $1', [spaceId])).toEqual(postsBefore);
		expect(await snapshot(stack, 'threads', 'space_id = $1', [spaceId])).toEqual(threadsBefore);
	});
});

describe('thread titles, pinning and locking', () => {
	it('the author edits the title and topic; another member cannot', async () => {
		const { id } = await thread(cast.member, 'Tiêu đề cũ');
		const own = await cast.member.client
			.from('threads')
			.update({ title: 'Tiêu đề mới', topic: 'health' })
			.eq('id', id)
			.select('title, topic');
		expect(own.data).toEqual([{ title: 'Tiêu đề mới', topic: 'health' }]);
		const before = await threadRow(id);
		for (const who of [cast.outsider, cast.removed]) {
			const res = await who.client.from('threads').update({ title: 'Not yours' }).eq('id', id).select();
			expect(refusedOrNoRows(res)).toBe(true);
		}
		const { id: leaderThread } = await thread(cast.leader, 'Leader’s thread');
		const leaderBefore = await threadRow(leaderThread);
		const other = await cast.member.client
			.from('threads')
			.update({ title: 'Not yours' })
			.eq('id', leaderThread)
			.select();
		expect(refusedOrNoRows(other)).toBe(true);
		const tooLong = await cast.member.client
			.from('threads')
			.update({ title: 'x'.repeat(201) })
			.eq('id', id);
		expect(refusalKind(tooLong.error)).toBe('check');
		expect(await threadRow(id)).toEqual(before);
		expect(await threadRow(leaderThread)).toEqual(leaderBefore);
	});

	it('members cannot pin or lock, not even their own thread; leaders, deputies and facilitators can', async () => {
		const { id } = await thread(cast.member, 'Pin me');
		const before = await threadRow(id);
		for (const change of [{ pinned: true }, { locked: true }]) {
			const own = await cast.member.client.from('threads').update(change).eq('id', id).select();
			expect(own.error?.message).toContain('not_allowed');
			const others = await cast.member.client.from('threads').update(change).eq('id', threadId).select();
			expect(refusedOrNoRows(others)).toBe(true);
			for (const who of [cast.outsider, cast.removed]) {
				expect(refusedOrNoRows(await who.client.from('threads').update(change).eq('id', id).select())).toBe(
					true
				);
			}
		}
		expect(await threadRow(id)).toEqual(before);

		const moderators: [Person, { pinned?: boolean; locked?: boolean }][] = [
			[cast.leader, { pinned: true }],
			[cast.deputy, { locked: true }],
			[cast.facilitator, { pinned: false }],
			[cast.leader, { locked: false }]
		];
		for (const [who, change] of moderators) {
			const { data, error } = await who.client
				.from('threads')
				.update(change)
				.eq('id', id)
				.select('pinned, locked');
			expect(error).toBeNull();
			expect(data?.[0]).toMatchObject(change);
		}
	});

	it('nobody changes a thread’s counters, activity time, author or space', async () => {
		const { id } = await thread(cast.member, 'Counters');
		const before = await threadRow(id);
		for (const who of [cast.member, cast.facilitator]) {
			for (const change of [
				{ reply_count: 999 },
				{ last_activity_at: '2099-01-01T00:00:00Z' },
				{ author_id: cast.leader.id },
				{ space_id: memberOwnSpace },
				{ created_at: '2001-01-01T00:00:00Z' }
			]) {
				const res = await who.client.from('threads').update(change).eq('id', id);
				expect(res.error?.message, JSON.stringify(change)).toContain('not_allowed');
			}
		}
		expect(await threadRow(id)).toEqual(before);
	});

	it('in a locked thread members cannot post or edit; leaders, deputies and facilitators still post', async () => {
		const { id } = await thread(cast.member, 'Will be locked');
		const earlier = newId();
		expect((await reply(cast.member, id, 'Said before the lock', earlier)).error).toBeNull();
		expect(
			(await cast.leader.client.from('threads').update({ locked: true }).eq('id', id).select('locked')).data
		).toEqual([{ locked: true }]);
		const before = await snapshot(stack, 'posts', 'thread_id = $1', [id]);
		const refused = await reply(cast.member, id, 'After the lock');
		expect(refused.error).not.toBeNull();
		expect(['row_security', 'other']).toContain(refusalKind(refused.error));
		const edit = await cast.member.client
			.from('posts')
			.update({ body: 'Edited after the lock' })
			.eq('id', earlier);
		expect(edit.error?.message).toContain('thread_locked');
		expect(await snapshot(stack, 'posts', 'thread_id = $1', [id])).toEqual(before);

		for (const who of [cast.leader, cast.deputy, cast.facilitator]) {
			expect((await reply(who, id, `Moderator note`)).error).toBeNull();
		}
		expect(await countRows(stack, 'select 1 from public.posts where thread_id = $1', [id])).toBe(5);
		await cast.leader.client.from('threads').update({ locked: false }).eq('id', id);
		expect((await reply(cast.member, id, 'After the unlock')).error).toBeNull();
	});

	it('the author and moderators remove a thread softly; other members cannot', async () => {
		const { id: mine } = await thread(cast.member, 'Mine to remove');
		const { id: forModerator } = await thread(cast.member, 'For a moderator');
		const { id: leaderThread } = await thread(cast.leader, 'Not the member’s');
		const now = new Date().toISOString();
		expect(
			(await cast.member.client.from('threads').update({ deleted_at: now }).eq('id', mine).select('id')).data
		).toEqual([{ id: mine }]);
		expect(
			(
				await cast.facilitator.client
					.from('threads')
					.update({ deleted_at: now })
					.eq('id', forModerator)
					.select('id')
			).data
		).toEqual([{ id: forModerator }]);
		const before = await threadRow(leaderThread);
		const res = await cast.member.client
			.from('threads')
			.update({ deleted_at: now })
			.eq('id', leaderThread)
			.select();
		expect(refusedOrNoRows(res)).toBe(true);
		expect(await threadRow(leaderThread)).toEqual(before);
		expect(
			await countRows(stack, 'select 1 from public.threads where id in ($1, $2) and deleted_at is not null', [
				mine,
				forModerator
			])
		).toBe(2);
	});
});
