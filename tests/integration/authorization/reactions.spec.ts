// Reactions: who reacts, reads reactions and takes them back, as every role
// of a space, an outsider, a removed member and anon, through supabase-js and
// real RLS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type Person, type TestStack } from '../helpers/stack';
import { newId, refusedOrNoRows } from '../helpers/spaces';
import { membersOf, signUpCast, spaceWithCast, strangersOf, type Cast } from '../helpers/cast';
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
		// The soon-removed member leaves a trace: a reaction.
		expect((await react(cast.removed, openingId, 'question')).error).toBeNull();
	});
});
afterAll(async () => {
	await stack?.stop();
});

describe('reactions', () => {
	it('members of every role react, each kind once; a second identical reaction is refused as unique', async () => {
		for (const who of membersOf(cast)) {
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
		for (const who of strangersOf(cast)) {
			expect(refusalKind((await react(who, openingId, 'like')).error)).toBe('row_security');
		}
		const anon = await cast.anon.client
			.from('reactions')
			.insert({ post_id: openingId, user_id: cast.member.id, kind: 'like' });
		expect(anon.error).not.toBeNull();
		expect(await reactionsOn(openingId)).toEqual(before);
	});

	it('members read every reaction on a post; outsiders, removed members and anon read none', async () => {
		for (const who of membersOf(cast)) {
			const { data } = await who.client.from('reactions').select('user_id, kind').eq('post_id', openingId);
			expect(data).toEqual([{ user_id: cast.removed.id, kind: 'question' }]);
		}
		for (const who of strangersOf(cast)) {
			expect((await who.client.from('reactions').select('id').eq('post_id', openingId)).data).toEqual([]);
			expect((await who.client.from('reactions').select('id').eq('post_id', replyId)).data).toEqual([]);
			const own = (await who.client.from('reactions').select('post_id')).data ?? [];
			expect(own.filter((r) => r.post_id === openingId || r.post_id === replyId)).toEqual([]);
		}
		expect((await cast.anon.client.from('reactions').select('id')).data ?? []).toEqual([]);
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

	// The delete policy asks for access too. A filtered request is stopped by the read policy, but a
	// request without a filter (no WHERE clause, so Postgres does not apply the SELECT policy) would
	// otherwise still take back a removed member's old reactions.
	it('a removed member cannot take back their old reaction, even with a request that has no filter', async () => {
		const before = await reactionsOn(openingId);
		expect(before).toContainEqual({ user_id: cast.removed.id, kind: 'question' });
		await cast.removed.client.from('reactions').delete();
		expect(await reactionsOn(openingId)).toEqual(before);
	});
});
