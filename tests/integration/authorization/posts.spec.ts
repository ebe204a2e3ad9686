// Posts (replies and opening posts), their earlier versions and @mentions:
// who reads, replies, edits and removes, as every role of a space, an
// outsider, a removed member and anon, through supabase-js and real RLS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type Person, type TestStack } from '../helpers/stack';
import { countRows, createSpace, newId, refusedOrNoRows, snapshot } from '../helpers/spaces';
import { membersOf, moderatorsOf, signUpCast, spaceWithCast, strangersOf, type Cast } from '../helpers/cast';
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
const mentionsOf = (postId: string) =>
	stack.sql<{ user_id: string }>('select user_id from public.mentions where post_id = $1 order by user_id', [
		postId
	]);
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

describe('reading posts', () => {
	it('members of every role read the posts of their space', async () => {
		for (const who of membersOf(cast)) {
			const posts = await who.client.from('posts').select('id').eq('thread_id', threadId);
			expect(posts.data?.map((p) => p.id).sort()).toEqual([openingId, leaderReplyId].sort());
		}
	});

	it('outsiders, removed members (their own old post included) and anon read no post, filtered or not', async () => {
		for (const who of strangersOf(cast)) {
			expect((await who.client.from('posts').select('id').eq('thread_id', threadId)).data).toEqual([]);
			expect((await who.client.from('posts').select('id').eq('thread_id', removedThreadId)).data).toEqual([]);
			const allPosts = (await who.client.from('posts').select('space_id')).data ?? [];
			expect(allPosts.filter((p) => p.space_id === spaceId)).toEqual([]);
		}
		expect((await cast.anon.client.from('posts').select('id')).data ?? []).toEqual([]);
	});
});

describe('replies', () => {
	it('members of every role reply; a replayed id is one row and the second insert is refused as unique', async () => {
		const { id } = await thread(cast.member, 'Replies');
		for (const who of membersOf(cast)) {
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
		// Blank includes text made only of invisible characters (it shows as an empty card),
		// and a right-to-left override is refused wherever it hides.
		const blank = ['', '   ', ' \r\n \t', '\u200b\u200b', '\u200c\u200d\ufeff\u2060', '\u3000\u00a0'];
		for (const body of [...blank, 'Biên bản \u202efdp.exe', 'z'.repeat(10_001)]) {
			expect(refusalKind((await reply(cast.member, threadId, body)).error), JSON.stringify(body)).toBe(
				'check'
			);
		}
		expect(await snapshot(stack, 'posts', 'thread_id = $1', [threadId])).toEqual(before);
	});

	it('outsiders, removed members and anon cannot reply', async () => {
		const before = await snapshot(stack, 'posts', 'thread_id = $1', [threadId]);
		for (const who of strangersOf(cast)) {
			expect(refusalKind((await reply(who, threadId, 'Let me in')).error)).toBe('row_security');
		}
		const anon = await cast.anon.client
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
		expect(data).toEqual([{ id: expect.any(String) as unknown, space_id: spaceId }]);
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

		for (const who of membersOf(cast)) {
			const { data } = await who.client
				.from('post_revisions')
				.select('body')
				.eq('post_id', postId)
				.order('id');
			expect(data).toEqual([{ body: 'Bản đầu tiên' }, { body: 'Bản thứ hai' }]);
		}
		for (const who of strangersOf(cast)) {
			expect((await who.client.from('post_revisions').select('body').eq('post_id', postId)).data).toEqual([]);
		}
		expect(
			(await cast.anon.client.from('post_revisions').select('body').eq('post_id', postId)).data ?? []
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

	// If edited_at and deleted_by were plain columns, an author could clear the "edited" mark while the
	// earlier version stays in post_revisions.
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

describe('removing posts', () => {
	it('the author and every moderator remove softly: deleted_at and deleted_by are set and the row stays', async () => {
		const mine = newId();
		expect((await reply(cast.member, threadId, 'I take this back', mine)).error).toBeNull();

		const byAuthor = await cast.member.client
			.from('posts')
			.update({ deleted_at: new Date().toISOString() })
			.eq('id', mine)
			.select('id, deleted_at');
		expect(byAuthor.data?.[0].deleted_at).toBeTruthy();
		for (const moderator of moderatorsOf(cast)) {
			const theirs = newId();
			expect((await reply(cast.member, threadId, `${moderator.id} removes this`, theirs)).error).toBeNull();
			const byModerator = await moderator.client
				.from('posts')
				.update({ deleted_at: new Date().toISOString() })
				.eq('id', theirs)
				.select('id');
			expect(byModerator.data).toEqual([{ id: theirs }]);
			expect(await postRow(theirs)).toMatchObject({ deleted_by: moderator.id });
			expect((await postRow(theirs)).deleted_at).not.toBeNull();
		}

		expect(await postRow(mine)).toMatchObject({ deleted_by: cast.member.id, body: 'I take this back' });
		// Still listed for members, shown as removed.
		const seen = await cast.leader.client.from('posts').select('id, deleted_at').eq('id', mine);
		expect(seen.data).toHaveLength(1);
		expect(seen.data![0].deleted_at).not.toBeNull();

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

	it('nobody hard-deletes a post, not even a facilitator or its author', async () => {
		const postsBefore = await snapshot(stack, 'posts', 'space_id = $1', [spaceId]);
		for (const who of [...membersOf(cast), ...strangersOf(cast)]) {
			const post = await who.client.from('posts').delete().eq('id', openingId).select();
			expect(refusedOrNoRows(post)).toBe(true);
		}
		await cast.anon.client.from('posts').delete().eq('id', openingId);
		expect(await snapshot(stack, 'posts', 'space_id = $1', [spaceId])).toEqual(postsBefore);
	});

	// The author branch of the update policy asks for access too. A filtered request is stopped by the
	// read policy, but a request without a filter (no WHERE clause, so Postgres does not apply the
	// SELECT policy) would otherwise still change a removed member's old posts.
	it('a removed member cannot change or remove their old post, even with a request that has no filter', async () => {
		const before = await snapshot(stack, 'posts', 'thread_id = $1', [removedThreadId]);
		expect(before).toEqual([expect.objectContaining({ author_id: cast.removed.id, deleted_at: null })]);
		await cast.removed.client.from('posts').update({ deleted_at: new Date().toISOString() });
		await cast.removed.client.from('posts').update({ body: 'Changed after removal' });
		expect(await snapshot(stack, 'posts', 'thread_id = $1', [removedThreadId])).toEqual(before);
	});
});

describe('mentions', () => {
	it('“@display name” of a member, in any case, creates a mention every member can read', async () => {
		const postId = newId();
		expect(
			(await reply(cast.leader, threadId, 'Cảm ơn @Me Member và @de deputy đã hỏi!', postId)).error
		).toBeNull();
		const expected = [{ user_id: cast.member.id }, { user_id: cast.deputy.id }].sort((a, b) =>
			a.user_id.localeCompare(b.user_id)
		);
		expect(await mentionsOf(postId)).toEqual(expected);
		for (const who of membersOf(cast)) {
			const { data } = await who.client
				.from('mentions')
				.select('user_id')
				.eq('post_id', postId)
				.order('user_id');
			expect(data).toEqual(expected);
		}
		for (const who of strangersOf(cast)) {
			expect((await who.client.from('mentions').select('user_id').eq('post_id', postId)).data).toEqual([]);
			expect(
				((await who.client.from('mentions').select('post_id')).data ?? []).map((m) => m.post_id)
			).not.toContain(postId);
		}
		expect((await cast.anon.client.from('mentions').select('user_id')).data ?? []).toEqual([]);
	});

	it('mentions nobody who is not a member, nor the author', async () => {
		const postId = newId();
		expect(
			(
				await reply(
					cast.member,
					threadId,
					'Hỏi @Ou Outsider, @Re Removed và @Me Member (chính tôi) xem',
					postId
				)
			).error
		).toBeNull();
		expect(await mentionsOf(postId)).toEqual([]);
	});

	it('clients cannot write mentions: no insert, update or delete', async () => {
		const postId = newId();
		expect((await reply(cast.leader, threadId, 'Nhờ @Me Member trả lời', postId)).error).toBeNull();
		const before = await mentionsOf(postId);
		expect(before).toEqual([{ user_id: cast.member.id }]);
		for (const who of [cast.facilitator, cast.leader, cast.member]) {
			const insert = await who.client.from('mentions').insert({ post_id: postId, user_id: cast.deputy.id });
			expect(insert.error).not.toBeNull();
			const update = await who.client
				.from('mentions')
				.update({ user_id: cast.deputy.id })
				.eq('post_id', postId)
				.select();
			expect(refusedOrNoRows(update)).toBe(true);
			const remove = await who.client.from('mentions').delete().eq('post_id', postId).select();
			expect(refusedOrNoRows(remove)).toBe(true);
		}
		const outsider = await cast.outsider.client
			.from('mentions')
			.insert({ post_id: postId, user_id: cast.outsider.id });
		expect(outsider.error).not.toBeNull();
		expect(await mentionsOf(postId)).toEqual(before);
	});
});
