// Threads and start_thread(): who reads, starts, retitles, pins, locks and
// removes threads, as every role of a space, an outsider, a removed member and
// anon, through supabase-js and real RLS. Posts are in posts.spec.ts.
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
	({ id: threadId } = await thread(cast.member, 'Quyền lợi bảo hiểm xã hội'));
	leaderReplyId = newId();
	expect((await reply(cast.leader, threadId, 'Chị sẽ hỏi cán bộ BHXH.', leaderReplyId)).error).toBeNull();
});
afterAll(async () => {
	await stack?.stop();
});

describe('reading threads', () => {
	it('members of every role read the threads of their space', async () => {
		for (const who of membersOf(cast)) {
			const threads = await who.client.from('threads').select('id').eq('space_id', spaceId).order('id');
			expect(threads.data?.map((t) => t.id).sort()).toEqual([threadId, removedThreadId].sort());
		}
	});

	it('outsiders, removed members (their own old thread included) and anon read no thread, filtered or not', async () => {
		for (const who of strangersOf(cast)) {
			expect((await who.client.from('threads').select('id').eq('space_id', spaceId)).data).toEqual([]);
			expect((await who.client.from('threads').select('id').eq('id', removedThreadId)).data).toEqual([]);
			const allThreads = (await who.client.from('threads').select('space_id')).data ?? [];
			expect(allThreads.filter((t) => t.space_id === spaceId)).toEqual([]);
		}
		expect((await cast.anon.client.from('threads').select('id')).data ?? []).toEqual([]);
	});
});

describe('start_thread()', () => {
	it('members of every role start a thread with its opening post', async () => {
		for (const who of membersOf(cast)) {
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
		for (const who of strangersOf(cast)) {
			const { data, error } = await startThread(who, 'Intruder', 'Hello');
			expect(data).toBeNull();
			expect(refusalKind(error)).toBe('row_security');
		}
		const anon = await cast.anon.client.rpc('start_thread', {
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

	// trim() strips spaces only: a body or title of line breaks and tabs would pass as "not empty".
	it('a body or title made only of line breaks and tabs is refused as empty', async () => {
		const threadsBefore = await countRows(stack, 'select 1 from public.threads');
		const postsBefore = await countRows(stack, 'select 1 from public.posts');
		const blankBody = await startThread(cast.member, 'Blank body', '\n\n\t');
		expect(refusalKind(blankBody.error)).toBe('check');
		const blankTitle = await startThread(cast.member, '\n\t', 'Body');
		expect(refusalKind(blankTitle.error)).toBe('check');
		expect(await countRows(stack, 'select 1 from public.threads')).toBe(threadsBefore);
		expect(await countRows(stack, 'select 1 from public.posts')).toBe(postsBefore);
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

	// A direct insert could otherwise carry any created_at and last_activity_at: a thread on top of
	// the list and unread for everyone until 2099.
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

describe('thread titles, pinning, locking and removal', () => {
	it('the author and every moderator edit the title and topic; other members cannot', async () => {
		const { id } = await thread(cast.member, 'Tiêu đề cũ');
		const own = await cast.member.client
			.from('threads')
			.update({ title: 'Tiêu đề mới', topic: 'health' })
			.eq('id', id)
			.select('title, topic');
		expect(own.data).toEqual([{ title: 'Tiêu đề mới', topic: 'health' }]);
		const before = await threadRow(id);
		for (const who of strangersOf(cast)) {
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

		for (const moderator of moderatorsOf(cast)) {
			const title = `Sửa bởi ${moderator.id}`;
			const edited = await moderator.client
				.from('threads')
				.update({ title, topic: 'proposals' })
				.eq('id', id)
				.select('title, topic');
			expect(edited.data).toEqual([{ title, topic: 'proposals' }]);
		}
	});

	it('members cannot pin or lock, not even their own thread; leaders, deputies and facilitators can', async () => {
		const { id } = await thread(cast.member, 'Pin me');
		const before = await threadRow(id);
		for (const change of [{ pinned: true }, { locked: true }]) {
			const own = await cast.member.client.from('threads').update(change).eq('id', id).select();
			expect(own.error?.message).toContain('not_allowed');
			const others = await cast.member.client.from('threads').update(change).eq('id', threadId).select();
			expect(refusedOrNoRows(others)).toBe(true);
			for (const who of strangersOf(cast)) {
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

	it('the author and every moderator remove a thread softly; other members cannot', async () => {
		const { id: mine } = await thread(cast.member, 'Mine to remove');
		const now = new Date().toISOString();
		expect(
			(await cast.member.client.from('threads').update({ deleted_at: now }).eq('id', mine).select('id')).data
		).toEqual([{ id: mine }]);
		const forModerators: string[] = [];
		for (const moderator of moderatorsOf(cast)) {
			const { id } = await thread(cast.member, `For ${moderator.id}`);
			forModerators.push(id);
			const removed = await moderator.client
				.from('threads')
				.update({ deleted_at: now })
				.eq('id', id)
				.select('id');
			expect(removed.data).toEqual([{ id }]);
		}
		const { id: leaderThread } = await thread(cast.leader, 'Not the member’s');
		const before = await threadRow(leaderThread);
		const res = await cast.member.client
			.from('threads')
			.update({ deleted_at: now })
			.eq('id', leaderThread)
			.select();
		expect(refusedOrNoRows(res)).toBe(true);
		expect(await threadRow(leaderThread)).toEqual(before);
		expect(
			await countRows(stack, 'select 1 from public.threads where id = any ($1) and deleted_at is not null', [
				[mine, ...forModerators]
			])
		).toBe(4);
	});

	it('nobody hard-deletes a thread, not even a facilitator or its author', async () => {
		const threadsBefore = await snapshot(stack, 'threads', 'space_id = $1', [spaceId]);
		for (const who of [...membersOf(cast), ...strangersOf(cast)]) {
			const thread = await who.client.from('threads').delete().eq('id', threadId).select();
			expect(refusedOrNoRows(thread)).toBe(true);
		}
		await cast.anon.client.from('threads').delete().eq('id', threadId);
		expect(await snapshot(stack, 'threads', 'space_id = $1', [spaceId])).toEqual(threadsBefore);
	});

	// The author branch of the update policy asks for access too. A filtered request is stopped by the
	// read policy, but a request without a filter (no WHERE clause, so Postgres does not apply the
	// SELECT policy) would otherwise still change a removed member's old threads.
	it('a removed member cannot change their old thread, even with a request that has no filter', async () => {
		const before = await threadRow(removedThreadId);
		expect(before.author_id).toBe(cast.removed.id);
		await cast.removed.client.from('threads').update({ title: 'Changed after removal', topic: 'other' });
		await cast.removed.client.from('threads').update({ deleted_at: new Date().toISOString() });
		expect(await threadRow(removedThreadId)).toEqual(before);
	});
});

describe('thread titles that hide themselves', () => {
	it('a title of invisible characters or with bidi controls is refused; Khmer with zero-width spaces is kept', async () => {
		for (const title of ['\u200b\u200b', '\u2066\u2069', 'Biên bản \u202efdp.exe']) {
			const started = await startThread(cast.member, title);
			expect(refusalKind(started.error), JSON.stringify(title)).toBe('check');
		}
		const khmer = 'សិទ្ធិ\u200bការងារ';
		const started = await startThread(cast.member, khmer);
		expect(started.error).toBeNull();
		expect((await threadRow(started.data!)).title).toBe(khmer);
	});

	it('a title arriving with a tab or line break is stored trimmed', async () => {
		const started = await startThread(cast.member, '\tHọp tháng 12\n');
		expect(started.error).toBeNull();
		expect((await threadRow(started.data!)).title).toBe('Họp tháng 12');
	});
});
