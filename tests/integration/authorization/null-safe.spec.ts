// Issue 20, items 5 and 10, tried as each person concerned.
// - An anonymous dialogue post has no author in its row (NULL): the checks
//   that compare a post's author with the caller must refuse everyone but the
//   hidden author and the conveners (main let any reader mark it).
// - A dialogue guest reads counts of reactions, never who reacted.
// - A reply sent with the id of someone else's post is "not stored", not "sent".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser, startTestStack, type Person, type TestStack } from '../helpers/stack';
import { newId } from '../helpers/spaces';
import { signUpCast, spaceWithCast, type Cast } from '../helpers/cast';
import { conveneDialogue, inviteGuest } from '../helpers/dialogues';
import { reply, threadWithPosts } from '$lib/threads/queries';

let stack: TestStack;
let cast: Cast;
let guest: Person;
let spaceId: string;
let dialogueId: string;
let anonymousPost: string;

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack);
	guest = await signedInUser(stack, 'Bình Chủ Trọ');
	spaceId = await spaceWithCast(cast);
	dialogueId = await conveneDialogue(cast.facilitator, spaceId);
	expect(
		(
			await cast.facilitator.client
				.from('dialogues')
				.update({ status: 'open' })
				.eq('id', dialogueId)
				.select('id')
		).data
	).toHaveLength(1);
	await inviteGuest(cast.facilitator, guest, dialogueId);
	anonymousPost = newId();
	const posted = await cast.member.client.rpc('post_anonymously', {
		p_id: anonymousPost,
		p_dialogue: dialogueId,
		p_body: 'Chủ trọ tăng giá điện lên 4.000 đồng/số'
	});
	expect(posted.error).toBeNull();
});
afterAll(async () => {
	await stack?.stop();
});

const outcomeOf = async (postId: string) =>
	(await stack.sql<{ outcome: string | null }>('select outcome from public.posts where id = $1', [postId]))[0]
		.outcome;

describe('an anonymous post (no author in its row)', () => {
	it('is marked by nobody but its hidden author and the conveners: guest, deputy, other member, outsider refused', async () => {
		for (const [name, who] of [
			['guest', guest],
			['deputy (not a convener)', cast.deputy],
			['outsider', cast.outsider],
			['removed member', cast.removed]
		] as const) {
			const { error } = await who.client.rpc('mark_post_outcome', {
				p_post: anonymousPost,
				p_outcome: 'proposal'
			});
			expect(error?.message, name).toContain('not_allowed');
			expect(await outcomeOf(anonymousPost), name).toBeNull();
		}
		const anon = await cast.anon.client.rpc('mark_post_outcome', {
			p_post: anonymousPost,
			p_outcome: 'proposal'
		});
		expect(anon.error).not.toBeNull();
		// Its hidden author, then a convener, may.
		expect(
			(await cast.member.client.rpc('mark_post_outcome', { p_post: anonymousPost, p_outcome: 'issue' })).error
		).toBeNull();
		expect(await outcomeOf(anonymousPost)).toBe('issue');
		expect(
			(await cast.leader.client.rpc('mark_post_outcome', { p_post: anonymousPost, p_outcome: 'proposal' }))
				.error
		).toBeNull();
		expect(await outcomeOf(anonymousPost)).toBe('proposal');
	});

	it('a thread whose author left keeps its title: a plain member cannot rename or remove it', async () => {
		const threadId = newId();
		expect(
			(
				await cast.deputy.client.rpc('start_thread', {
					p_id: threadId,
					p_space: spaceId,
					p_title: 'Lịch họp tháng 12',
					p_topic: 'club_life',
					p_body: 'Họp ngày 14/12'
				})
			).error
		).toBeNull();
		await stack.sql('update public.threads set author_id = null where id = $1', [threadId]);
		const renamed = await cast.member.client
			.from('threads')
			.update({ title: 'Đổi tên' })
			.eq('id', threadId)
			.select('id');
		expect(renamed.data ?? []).toEqual([]);
		const [{ title }] = await stack.sql<{ title: string }>('select title from public.threads where id = $1', [
			threadId
		]);
		expect(title).toBe('Lịch họp tháng 12');
	});
});

describe('reactions in a dialogue', () => {
	it('a guest reads how many reacted, never who', async () => {
		const postId = newId();
		expect(
			(
				await reply(cast.facilitator.client, {
					id: postId,
					threadId: dialogueId,
					spaceId,
					body: 'Chào mừng',
					userId: cast.facilitator.id
				})
			).error
		).toBeNull();
		for (const who of [cast.member, cast.leader, guest]) {
			const { error } = await who.client
				.from('reactions')
				.insert({ post_id: postId, user_id: who.id, kind: 'like' });
			expect(error).toBeNull();
		}
		const rows = await guest.client.from('reactions').select('user_id, kind');
		expect(rows.data).toEqual([{ user_id: guest.id, kind: 'like' }]);
		const page = await threadWithPosts(guest.client, dialogueId, guest.id);
		const post = page?.posts.find((p) => p.id === postId);
		expect(post?.reactions.find((r) => r.kind === 'like')).toEqual({ kind: 'like', count: 3, byMe: true });
		// Members still see who.
		const seen = await cast.member.client.from('reactions').select('user_id').eq('post_id', postId);
		expect(seen.data?.map((r) => r.user_id).sort()).toEqual(
			[cast.member.id, cast.leader.id, guest.id].sort()
		);
	});
});

describe('a reply with another post\u2019s id', () => {
	it('is answered "not stored" (id_taken), while a true replay of my own is answered as sent', async () => {
		const mine = newId();
		const first = await reply(cast.member.client, {
			id: mine,
			threadId: dialogueId,
			spaceId,
			body: 'Lần đầu',
			userId: cast.member.id
		});
		expect(first.error).toBeNull();
		const replay = await reply(cast.member.client, {
			id: mine,
			threadId: dialogueId,
			spaceId,
			body: 'Lần đầu',
			userId: cast.member.id
		});
		expect(replay.error).toBeNull();
		const taken = await reply(cast.leader.client, {
			id: mine,
			threadId: dialogueId,
			spaceId,
			body: 'Tin của người khác',
			userId: cast.leader.id
		});
		expect(taken.error?.message).toBe('id_taken');
		const stored = await stack.sql<{ body: string }>('select body from public.posts where id = $1', [mine]);
		expect(stored).toEqual([{ body: 'Lần đầu' }]);
	});
});
