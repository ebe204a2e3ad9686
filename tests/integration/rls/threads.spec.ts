// Threads, posts, revisions, reactions, mentions, read markers and search:
// every role tries every verb through supabase-js against real RLS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, castOfFive, startTestStack, type Person, type TestStack } from '../helpers/stack';
import { refusalKind } from '$lib/supabase/errors';
import { generateInviteCode } from '$lib/spaces/invite-code';

let stack: TestStack;
let facilitator: Person, leader: Person, member: Person, outsider: Person, removed: Person;
const spaceId = crypto.randomUUID();
const otherSpaceId = crypto.randomUUID();
const threadId = crypto.randomUUID();
const openingId = crypto.randomUUID();
const leaderReplyId = crypto.randomUUID();

async function join(person: Person, role: 'leader' | 'member') {
	const code = generateInviteCode();
	await facilitator.client
		.from('space_invites')
		.insert({ space_id: spaceId, code, role, created_by: facilitator.id });
	expect((await person.client.rpc('redeem_invite', { p_code: code })).error).toBeNull();
}
const reply = (who: Person, body: string, id: string = crypto.randomUUID(), thread: string = threadId) =>
	who.client.from('posts').insert({ id, thread_id: thread, space_id: spaceId, body });
const count = async (sql: string, params: unknown[]) => (await stack.sql<{ n: number }>(sql, params))[0].n;

beforeAll(async () => {
	stack = await startTestStack();
	({ facilitator, leader, member, outsider, removed } = await castOfFive(stack));
	await facilitator.client
		.from('spaces')
		.insert({ id: spaceId, name: 'Club', objective: 'x', created_by: facilitator.id });
	await outsider.client
		.from('spaces')
		.insert({ id: otherSpaceId, name: 'Other', objective: 'x', created_by: outsider.id });
	await join(leader, 'leader');
	await join(member, 'member');
	await join(removed, 'member');
	const started = await member.client.rpc('start_thread', {
		p_space: spaceId,
		p_title: 'Quyền lợi bảo hiểm xã hội',
		p_body: 'Ai biết về ការរៀបចំសំណើគម្រោង?',
		p_topic: 'social_protection',
		p_id: threadId
	});
	expect(started.data).toBe(threadId);
	const [{ id }] = await stack.sql<{ id: string }>(
		'select id from public.posts where thread_id = $1 and is_opening',
		[threadId]
	);
	await stack.sql('update public.posts set id = $1 where id = $2', [openingId, id]);

	expect((await reply(leader, 'Chị sẽ hỏi cán bộ BHXH.', leaderReplyId)).error).toBeNull();
	expect(
		(await removed.client.from('reactions').insert({ post_id: openingId, user_id: removed.id, kind: 'like' }))
			.error
	).toBeNull();
	await facilitator.client.from('space_members').delete().eq('space_id', spaceId).eq('user_id', removed.id);
});
afterAll(async () => {
	await stack?.stop();
});

describe('threads and posts: reading', () => {
	it('members, leaders and facilitators read; anon, outsiders and removed members read nothing', async () => {
		for (const who of [member, leader, facilitator]) {
			expect((await who.client.from('threads').select('id').eq('id', threadId)).data).toHaveLength(1);
			expect(
				((await who.client.from('posts').select('id').eq('thread_id', threadId)).data ?? []).length
			).toBe(2);
			expect(
				((await who.client.from('reactions').select('id').eq('post_id', openingId)).data ?? []).length
			).toBe(1);
		}
		for (const who of [outsider, removed]) {
			expect((await who.client.from('threads').select('id').eq('id', threadId)).data).toEqual([]);
			expect((await who.client.from('posts').select('id').eq('thread_id', threadId)).data).toEqual([]);
			expect((await who.client.from('reactions').select('id').eq('post_id', openingId)).data).toEqual([]);
			expect(
				(await who.client.rpc('search_space', { p_space: spaceId, p_query: 'bao hiem' })).data ?? []
			).toEqual([]);
		}
		const anon = anonClient(stack);
		expect((await anon.from('threads').select('id')).data ?? []).toEqual([]);
		expect((await anon.from('posts').select('id')).data ?? []).toEqual([]);
	});
});

describe('threads and posts: writing', () => {
	it('outsiders and removed members cannot start threads or reply; members can, once per id', async () => {
		const intruder = await outsider.client.rpc('start_thread', {
			p_space: spaceId,
			p_title: 'x',
			p_body: 'y',
			p_topic: 'other'
		});
		expect(intruder.error).not.toBeNull();
		expect((await reply(removed, 'still here?')).error).not.toBeNull();
		expect((await reply(outsider, 'hello')).error).not.toBeNull();
		expect(
			await count('select count(*)::int n from public.posts where body in ($1, $2)', ['still here?', 'hello'])
		).toBe(0);

		const id = crypto.randomUUID();
		expect((await reply(member, 'Một lần thôi', id)).error).toBeNull();
		const again = await reply(member, 'Một lần thôi', id);
		expect(refusalKind(again.error)).toBe('unique');
		const replayed = await member.client
			.from('posts')
			.upsert(
				{ id, thread_id: threadId, space_id: spaceId, body: 'Một lần thôi' },
				{ onConflict: 'id', ignoreDuplicates: true }
			);
		expect(replayed.error).toBeNull();
		expect(await count('select count(*)::int n from public.posts where id = $1', [id])).toBe(1);
	});

	it('replaying start_thread with the same id makes one thread with one opening post', async () => {
		const id = crypto.randomUUID();
		const args = { p_space: spaceId, p_title: 'Replay', p_body: 'body', p_topic: 'other' as const, p_id: id };
		expect((await member.client.rpc('start_thread', args)).data).toBe(id);
		expect((await member.client.rpc('start_thread', args)).data).toBe(id);
		expect(await count('select count(*)::int n from public.threads where id = $1', [id])).toBe(1);
		expect(await count('select count(*)::int n from public.posts where thread_id = $1', [id])).toBe(1);
	});

	it('a post always lands in its thread’s space, whatever space the client claims', async () => {
		const id = crypto.randomUUID();
		await member.client
			.from('posts')
			.insert({ id, thread_id: threadId, space_id: otherSpaceId, body: 'spoof' });
		const [row] = await stack.sql<{ space_id: string }>('select space_id from public.posts where id = $1', [
			id
		]);
		expect(row.space_id).toBe(spaceId);
	});

	it('empty and oversize titles and bodies are refused and nothing is stored', async () => {
		const before = await count('select count(*)::int n from public.threads', []);
		for (const [title, body] of [
			['', 'body'],
			['x'.repeat(201), 'body'],
			['ok', '   '],
			['ok', 'y'.repeat(10_001)]
		]) {
			const { error } = await member.client.rpc('start_thread', {
				p_space: spaceId,
				p_title: title,
				p_body: body,
				p_topic: 'other'
			});
			expect(refusalKind(error)).toBe('check');
		}
		expect(await count('select count(*)::int n from public.threads', [])).toBe(before);
		expect(refusalKind((await reply(member, 'z'.repeat(10_001))).error)).toBe('check');
	});

	it('authors edit their posts and earlier versions are kept; nobody edits someone else’s', async () => {
		const { data: stolen } = await member.client
			.from('posts')
			.update({ body: 'Hacked' })
			.eq('id', leaderReplyId)
			.select();
		expect(stolen ?? []).toEqual([]);
		const byModerator = await facilitator.client
			.from('posts')
			.update({ body: 'Moderated words' })
			.eq('id', leaderReplyId);
		expect(byModerator.error?.message).toContain('not_allowed');

		const edited = await leader.client
			.from('posts')
			.update({ body: 'Chị sẽ hỏi cán bộ BHXH huyện.' })
			.eq('id', leaderReplyId)
			.select('edited_at');
		expect(edited.data?.[0].edited_at).toBeTruthy();
		const revisions = await member.client.from('post_revisions').select('body').eq('post_id', leaderReplyId);
		expect(revisions.data).toEqual([{ body: 'Chị sẽ hỏi cán bộ BHXH.' }]);
		expect(
			(await outsider.client.from('post_revisions').select('body').eq('post_id', leaderReplyId)).data
		).toEqual([]);
		expect(
			(await member.client.from('post_revisions').insert({ post_id: leaderReplyId, body: 'forged' })).error
		).not.toBeNull();
	});

	it('authors and moderators remove posts softly; nobody deletes rows', async () => {
		const mine = crypto.randomUUID();
		await reply(member, 'to be removed by me', mine);
		const theirs = crypto.randomUUID();
		await reply(member, 'to be removed by a moderator', theirs);
		const otherMember = await member.client
			.from('posts')
			.update({ deleted_at: new Date().toISOString() })
			.eq('id', leaderReplyId)
			.select();
		expect(otherMember.data ?? []).toEqual([]);
		expect(
			(
				await member.client
					.from('posts')
					.update({ deleted_at: new Date().toISOString() })
					.eq('id', mine)
					.select('id')
			).data
		).toHaveLength(1);
		expect(
			(
				await leader.client
					.from('posts')
					.update({ deleted_at: new Date().toISOString() })
					.eq('id', theirs)
					.select('id')
			).data
		).toHaveLength(1);
		const editRemoved = await member.client.from('posts').update({ body: 'back again' }).eq('id', mine);
		expect(editRemoved.error?.message).toContain('post_deleted');
		await facilitator.client.from('posts').delete().eq('id', mine);
		expect(
			await count(
				'select count(*)::int n from public.posts where id in ($1, $2) and deleted_at is not null',
				[mine, theirs]
			)
		).toBe(2);
		expect(
			await count('select count(*)::int n from public.posts where id = $1 and deleted_at is null', [
				leaderReplyId
			])
		).toBe(1);
	});

	it('only moderators pin and lock; a locked thread refuses members but not moderators', async () => {
		const pin = await member.client.from('threads').update({ pinned: true }).eq('id', threadId);
		expect(pin.error?.message).toContain('not_allowed');
		expect(
			(await leader.client.from('threads').update({ locked: true }).eq('id', threadId).select('locked')).data
		).toEqual([{ locked: true }]);
		const refused = await reply(member, 'after the lock');
		expect(refused.error).not.toBeNull();
		expect(await count('select count(*)::int n from public.posts where body = $1', ['after the lock'])).toBe(
			0
		);
		expect((await reply(facilitator, 'moderator note after the lock')).error).toBeNull();
		await leader.client.from('threads').update({ locked: false }).eq('id', threadId);
		const counter = await member.client.from('threads').update({ reply_count: 999 }).eq('id', threadId);
		expect(counter.error?.message).toContain('not_allowed');
		await member.client.from('threads').delete().eq('id', threadId);
		expect(await count('select count(*)::int n from public.threads where id = $1', [threadId])).toBe(1);
	});
});

describe('reactions, mentions, read markers', () => {
	it('members react once per kind and take back only their own; outsiders cannot react', async () => {
		expect(
			(
				await member.client
					.from('reactions')
					.insert({ post_id: leaderReplyId, user_id: member.id, kind: 'thanks' })
			).error
		).toBeNull();
		expect(
			refusalKind(
				(
					await member.client
						.from('reactions')
						.insert({ post_id: leaderReplyId, user_id: member.id, kind: 'thanks' })
				).error
			)
		).toBe('unique');
		expect(
			(
				await outsider.client
					.from('reactions')
					.insert({ post_id: leaderReplyId, user_id: outsider.id, kind: 'like' })
			).error
		).not.toBeNull();
		expect(
			(
				await member.client
					.from('reactions')
					.insert({ post_id: leaderReplyId, user_id: leader.id, kind: 'like' })
			).error
		).not.toBeNull();
		const notMine = await leader.client
			.from('reactions')
			.delete()
			.eq('post_id', leaderReplyId)
			.eq('user_id', member.id)
			.select();
		expect(notMine.data ?? []).toEqual([]);
		expect(
			(
				await member.client
					.from('reactions')
					.delete()
					.eq('post_id', leaderReplyId)
					.eq('user_id', member.id)
					.select()
			).data
		).toHaveLength(1);
	});

	it('@mentions of members are recorded by the database, never by clients', async () => {
		const id = crypto.randomUUID();
		expect((await reply(leader, 'Cảm ơn @Me Member đã hỏi!', id)).error).toBeNull();
		expect((await member.client.from('mentions').select('user_id').eq('post_id', id)).data).toEqual([
			{ user_id: member.id }
		]);
		expect((await outsider.client.from('mentions').select('user_id').eq('post_id', id)).data).toEqual([]);
		expect(
			(await member.client.from('mentions').insert({ post_id: id, user_id: facilitator.id })).error
		).not.toBeNull();
	});

	it('unread counts drop after reading; nobody reads or moves another person’s markers', async () => {
		await reply(leader, 'news for everyone');
		const unread = async () =>
			((await member.client.rpc('my_spaces')).data ?? []).find((s) => s.id === spaceId)?.unread_count;
		expect(await unread()).toBeGreaterThan(0);
		expect((await member.client.rpc('mark_thread_read', { p_thread: threadId })).error).toBeNull();
		expect(await unread()).toBe(0);
		expect(
			(await leader.client.from('thread_reads').select('user_id').eq('user_id', member.id)).data
		).toEqual([]);
		const forged = await leader.client
			.from('thread_reads')
			.insert({ thread_id: threadId, user_id: member.id });
		expect(forged.error).not.toBeNull();
		const outsiderMarks = await outsider.client.rpc('mark_thread_read', { p_thread: threadId });
		expect(outsiderMarks.error).not.toBeNull();
	});
});

describe('search', () => {
	it('finds Vietnamese with or without diacritics and Khmer by substring, for members only', async () => {
		const titles = async (who: Person, q: string) =>
			((await who.client.rpc('search_space', { p_space: spaceId, p_query: q })).data ?? []).map(
				(r) => r.title
			);
		expect(await titles(member, 'quyen loi')).toContain('Quyền lợi bảo hiểm xã hội');
		expect(await titles(member, 'bảo hiểm')).toContain('Quyền lợi bảo hiểm xã hội');
		expect(await titles(member, 'សំណើ')).toContain('Quyền lợi bảo hiểm xã hội');
		expect(await titles(member, '100%_')).toEqual([]);
		expect(await titles(outsider, 'quyen loi')).toEqual([]);
	});
});
