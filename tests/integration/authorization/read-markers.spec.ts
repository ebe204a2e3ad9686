// Read markers and unread counts: thread_reads, my_spaces() and
// mark_thread_read(), as every role of a space, an outsider, a removed member
// and anon, through supabase-js and real RLS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type Person, type TestStack } from '../helpers/stack';
import { countRows, createSpace, newId, refusedOrNoRows, snapshot } from '../helpers/spaces';
import { signUpCast, spaceWithCast, strangersOf, type Cast } from '../helpers/cast';
import { refusalKind } from '$lib/supabase/errors';

let stack: TestStack;
let cast: Cast;
let spaceId: string;
let threadId: string;
let replyId: string;

const reply = (who: Person, body: string, id = newId(), thread = threadId) =>
	who.client.from('posts').insert({ id, thread_id: thread, space_id: spaceId, body }).select('id');
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
		replyId = newId();
		expect((await reply(cast.leader, 'Có, theo Bộ luật Lao động.', replyId)).error).toBeNull();
		// The soon-removed member leaves a trace: a read marker.
		expect((await cast.removed.client.rpc('mark_thread_read', { p_thread: threadId })).error).toBeNull();
	});
});
afterAll(async () => {
	await stack?.stop();
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
		expect((await cast.anon.client.from('thread_reads').select('user_id')).data ?? []).toEqual([]);
	});

	// Checking the owner only would let a removed member list the ids of the space's threads they
	// had read, and when.
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
		for (const who of strangersOf(cast)) {
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
		const anon = await cast.anon.client.rpc('mark_thread_read', { p_thread: threadId });
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
