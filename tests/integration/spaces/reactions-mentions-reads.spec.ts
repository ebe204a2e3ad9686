// Reactions, @mentions, read markers and unread counts (my_spaces(),
// mark_thread_read()), as every role, through supabase-js and real RLS.
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

let stack: TestStack;
let cast: Cast;
let spaceId: string;
let threadId: string;
let openingId: string;
let replyId: string;

const reply = (who: Person, body: string, id = newId(), thread = threadId) =>
	who.client.from('posts').insert({ id, thread_id: thread, space_id: spaceId, body }).select('id');
const react = (
	who: Person,
	postId: string,
	kind: 'like' | 'thanks' | 'agree' | 'question',
	userId = who.id
) => who.client.from('reactions').insert({ post_id: postId, user_id: userId, kind }).select('kind');
const reactionsOn = (postId: string) =>
	stack.sql<{ user_id: string; kind: string }>(
		'select user_id, kind::text as kind from public.reactions where post_id = $1 order by user_id, kind',
		[postId]
	);
const mentionsOf = (postId: string) =>
	stack.sql<{ user_id: string }>('select user_id from public.mentions where post_id = $1 order by user_id', [
		postId
	]);
const unread = async (who: Person, space = spaceId) =>
	((await who.client.rpc('my_spaces')).data ?? []).find((s) => s.id === space)?.unread_count;

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack);
	spaceId = await spaceWithCast(cast, async (space) => {
		threadId = newId();
		expect(
			(
				await cast.member.client.rpc('start_thread', {
					p_space: space,
					p_title: 'Khám sức khỏe định kỳ',
					p_body: 'Công ty có phải trả tiền khám không?',
					p_topic: 'health',
					p_id: threadId
				})
			).error
		).toBeNull();
		const { data } = await cast.member.client
			.from('posts')
			.select('id')
			.eq('thread_id', threadId)
			.eq('is_opening', true);
		openingId = data![0].id;
		replyId = newId();
		expect((await reply(cast.leader, 'Có, theo Bộ luật Lao động.', replyId)).error).toBeNull();
		// The soon-removed member leaves traces: a reaction and a read marker.
		expect((await react(cast.removed, openingId, 'question')).error).toBeNull();
		expect((await cast.removed.client.rpc('mark_thread_read', { p_thread: threadId })).error).toBeNull();
	});
});
afterAll(async () => {
	await stack?.stop();
});

describe('reactions', () => {
	it('members of every role react, each kind once; a second identical reaction is refused as unique', async () => {
		for (const who of [cast.facilitator, cast.leader, cast.deputy, cast.member]) {
			expect((await react(who, replyId, 'thanks')).data).toEqual([{ kind: 'thanks' }]);
			expect((await react(who, replyId, 'agree')).error).toBeNull();
			const again = await react(who, replyId, 'thanks');
			expect(refusalKind(again.error)).toBe('unique');
		}
		const rows = await reactionsOn(replyId);
		expect(rows).toHaveLength(8);
		expect(rows.filter((r) => r.user_id === cast.member.id).map((r) => r.kind)).toEqual(['agree', 'thanks']);
	});

	it('nobody reacts in someone else’s name; outsiders, removed members and anon do not react at all', async () => {
		const before = await reactionsOn(openingId);
		expect(refusalKind((await react(cast.member, openingId, 'like', cast.leader.id)).error)).toBe(
			'row_security'
		);
		for (const who of [cast.outsider, cast.removed]) {
			expect(refusalKind((await react(who, openingId, 'like')).error)).toBe('row_security');
		}
		const anon = await anonClient(stack)
			.from('reactions')
			.insert({ post_id: openingId, user_id: cast.member.id, kind: 'like' });
		expect(anon.error).not.toBeNull();
		expect(await reactionsOn(openingId)).toEqual(before);
	});

	it('members read every reaction on a post; outsiders, removed members and anon read none', async () => {
		for (const who of [cast.facilitator, cast.leader, cast.deputy, cast.member]) {
			const { data } = await who.client.from('reactions').select('user_id, kind').eq('post_id', openingId);
			expect(data).toEqual([{ user_id: cast.removed.id, kind: 'question' }]);
		}
		for (const who of [cast.outsider, cast.removed]) {
			expect((await who.client.from('reactions').select('id').eq('post_id', openingId)).data).toEqual([]);
			expect((await who.client.from('reactions').select('id').eq('post_id', replyId)).data).toEqual([]);
			const own = (await who.client.from('reactions').select('post_id')).data ?? [];
			expect(own.filter((r) => r.post_id === openingId || r.post_id === replyId)).toEqual([]);
		}
		expect((await anonClient(stack).from('reactions').select('id')).data ?? []).toEqual([]);
	});

	it('people take back only their own reactions; nobody changes a reaction', async () => {
		expect((await react(cast.member, openingId, 'like')).error).toBeNull();
		const before = await reactionsOn(openingId);
		for (const who of [cast.facilitator, cast.leader, cast.deputy, cast.outsider, cast.removed]) {
			const res = await who.client
				.from('reactions')
				.delete()
				.eq('post_id', openingId)
				.eq('user_id', cast.member.id)
				.select();
			expect(refusedOrNoRows(res)).toBe(true);
		}
		for (const who of [cast.member, cast.facilitator]) {
			const res = await who.client
				.from('reactions')
				.update({ kind: 'agree' })
				.eq('post_id', openingId)
				.select();
			expect(refusedOrNoRows(res)).toBe(true);
		}
		expect(await reactionsOn(openingId)).toEqual(before);

		const mine = await cast.member.client
			.from('reactions')
			.delete()
			.eq('post_id', openingId)
			.eq('user_id', cast.member.id)
			.select('kind');
		expect(mine.data).toEqual([{ kind: 'like' }]);
		expect(await reactionsOn(openingId)).toEqual([{ user_id: cast.removed.id, kind: 'question' }]);
	});

	it('a removed (soft-deleted) post takes no new reactions', async () => {
		const postId = newId();
		expect((await reply(cast.member, 'Sắp xóa', postId)).error).toBeNull();
		await cast.member.client.from('posts').update({ deleted_at: new Date().toISOString() }).eq('id', postId);
		expect(refusalKind((await react(cast.leader, postId, 'like')).error)).toBe('row_security');
		expect(await reactionsOn(postId)).toEqual([]);
	});
});

describe('mentions', () => {
	it('“@display name” of a member, in any case, creates a mention every member can read', async () => {
		const postId = newId();
		expect((await reply(cast.leader, 'Cảm ơn @Me Member và @de deputy đã hỏi!', postId)).error).toBeNull();
		const expected = [{ user_id: cast.member.id }, { user_id: cast.deputy.id }].sort((a, b) =>
			a.user_id.localeCompare(b.user_id)
		);
		expect(await mentionsOf(postId)).toEqual(expected);
		for (const who of [cast.facilitator, cast.leader, cast.deputy, cast.member]) {
			const { data } = await who.client
				.from('mentions')
				.select('user_id')
				.eq('post_id', postId)
				.order('user_id');
			expect(data).toEqual(expected);
		}
		for (const who of [cast.outsider, cast.removed]) {
			expect((await who.client.from('mentions').select('user_id').eq('post_id', postId)).data).toEqual([]);
			expect(
				((await who.client.from('mentions').select('post_id')).data ?? []).map((m) => m.post_id)
			).not.toContain(postId);
		}
		expect((await anonClient(stack).from('mentions').select('user_id')).data ?? []).toEqual([]);
	});

	it('mentions nobody who is not a member, nor the author', async () => {
		const postId = newId();
		expect(
			(await reply(cast.member, 'Hỏi @Ou Outsider, @Re Removed và @Me Member (chính tôi) xem', postId)).error
		).toBeNull();
		expect(await mentionsOf(postId)).toEqual([]);
	});

	it('clients cannot write mentions: no insert, update or delete', async () => {
		const postId = newId();
		expect((await reply(cast.leader, 'Nhờ @Me Member trả lời', postId)).error).toBeNull();
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

describe('unread counts and read markers', () => {
	it('my_spaces() counts unread threads; mark_thread_read() brings the count back to 0', async () => {
		const { data: threads } = await cast.member.client.from('threads').select('id').eq('space_id', spaceId);
		for (const { id } of threads ?? []) {
			expect((await cast.member.client.rpc('mark_thread_read', { p_thread: id })).error).toBeNull();
		}
		expect(await unread(cast.member)).toBe(0);

		const fresh = newId();
		expect(
			(
				await cast.leader.client.rpc('start_thread', {
					p_space: spaceId,
					p_title: 'Họp câu lạc bộ tháng sau',
					p_body: 'Ai tham gia được?',
					p_topic: 'club_life',
					p_id: fresh
				})
			).error
		).toBeNull();
		expect(await unread(cast.member)).toBe(1);
		// Writing in a thread counts as reading it.
		const leaderMarker = await cast.leader.client
			.from('thread_reads')
			.select('thread_id')
			.eq('thread_id', fresh);
		expect(leaderMarker.data).toEqual([{ thread_id: fresh }]);
		expect((await reply(cast.leader, 'Thêm một ý nữa')).error).toBeNull();
		expect(await unread(cast.member)).toBe(2);

		expect((await cast.member.client.rpc('mark_thread_read', { p_thread: fresh })).error).toBeNull();
		expect(await unread(cast.member)).toBe(1);
		// Replying in a thread marks it read too.
		expect((await reply(cast.member, 'Tôi đã đọc')).error).toBeNull();
		expect(await unread(cast.member)).toBe(0);
	});

	it('a person reads only their own read markers', async () => {
		const own = await cast.member.client.from('thread_reads').select('user_id').eq('thread_id', threadId);
		expect(own.data).toEqual([{ user_id: cast.member.id }]);
		for (const who of [cast.facilitator, cast.leader, cast.deputy]) {
			const { data } = await who.client.from('thread_reads').select('user_id').eq('user_id', cast.member.id);
			expect(data).toEqual([]);
		}
		expect(
			(await cast.outsider.client.from('thread_reads').select('user_id').eq('thread_id', threadId)).data
		).toEqual([]);
		expect((await anonClient(stack).from('thread_reads').select('user_id')).data ?? []).toEqual([]);
	});

	// Fixed in migration 20261122000900 (was: "people keep their own read markers" checks the owner
	// only, so a removed member still lists the ids of the space's threads they had read, and when).
	it('a removed member no longer sees the read markers they left in the space', async () => {
		const { data } = await cast.removed.client.from('thread_reads').select('thread_id, last_read_at');
		expect(
			await countRows(stack, 'select 1 from public.thread_reads where user_id = $1', [cast.removed.id])
		).toBe(1);
		expect(data).toEqual([]);
	});

	it('nobody writes another person’s read markers', async () => {
		const before = await snapshot(stack, 'thread_reads', 'thread_id = $1', [threadId]);
		const forged = await cast.leader.client
			.from('thread_reads')
			.insert({ thread_id: threadId, user_id: cast.deputy.id, last_read_at: '2099-01-01T00:00:00Z' });
		expect(refusalKind(forged.error)).toBe('row_security');
		for (const who of [cast.facilitator, cast.leader, cast.outsider]) {
			const moved = await who.client
				.from('thread_reads')
				.update({ last_read_at: '2000-01-01T00:00:00Z' })
				.eq('user_id', cast.member.id)
				.select();
			expect(refusedOrNoRows(moved)).toBe(true);
			const removed = await who.client.from('thread_reads').delete().eq('user_id', cast.member.id).select();
			expect(refusedOrNoRows(removed)).toBe(true);
		}
		const takeOver = await cast.member.client
			.from('thread_reads')
			.update({ user_id: cast.deputy.id })
			.eq('thread_id', threadId)
			.eq('user_id', cast.member.id)
			.select();
		expect(refusalKind(takeOver.error)).toBe('row_security');
		expect(await snapshot(stack, 'thread_reads', 'thread_id = $1', [threadId])).toEqual(before);
	});

	it('a person moves their own marker, only for threads they can read', async () => {
		const moved = await cast.deputy.client
			.from('thread_reads')
			.upsert({ thread_id: threadId, user_id: cast.deputy.id, last_read_at: new Date().toISOString() })
			.select('user_id');
		expect(moved.error).toBeNull();
		expect(moved.data).toEqual([{ user_id: cast.deputy.id }]);

		const before = await countRows(stack, 'select 1 from public.thread_reads');
		for (const who of [cast.outsider, cast.removed]) {
			const marked = await who.client.rpc('mark_thread_read', { p_thread: threadId });
			expect(refusalKind(marked.error)).toBe('row_security');
			const direct = await who.client.from('thread_reads').insert({ thread_id: threadId, user_id: who.id });
			expect(refusalKind(direct.error)).toBe('row_security');
		}
		// The removed member's old marker stays where it was: they cannot move it any more.
		const stale = await cast.removed.client
			.from('thread_reads')
			.update({ last_read_at: new Date().toISOString() })
			.eq('thread_id', threadId)
			.select();
		expect(refusedOrNoRows(stale)).toBe(true);
		const anon = await anonClient(stack).rpc('mark_thread_read', { p_thread: threadId });
		expect(anon.error).not.toBeNull();
		expect(await countRows(stack, 'select 1 from public.thread_reads')).toBe(before);
	});

	it('my_spaces() never counts another space’s threads', async () => {
		const other = await createSpace(cast.outsider, { name: 'Outsider’s club' });
		await cast.outsider.client.rpc('start_thread', {
			p_space: other,
			p_title: 'Private news',
			p_body: 'Only for us',
			p_topic: 'other'
		});
		const { data } = await cast.member.client.rpc('my_spaces');
		expect((data ?? []).map((s) => s.id)).toEqual([spaceId]);
		expect(await unread(cast.outsider, other)).toBe(0);
		expect(await unread(cast.outsider, spaceId)).toBeUndefined();
	});
});
