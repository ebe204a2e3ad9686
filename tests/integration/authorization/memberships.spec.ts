// Memberships: who sees who is in a space, who joins (only by invite, see
// invites.spec.ts), who changes roles, leaves and removes, the last
// facilitator, hand_over_facilitation(), and what a removed member keeps;
// tried by anon, an outsider, a member, a deputy, a leader, a facilitator and a
// removed member.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser, startTestStack, type TestStack } from '../helpers/stack';
import {
	createSpace,
	invitePerson,
	newId,
	refusedOrNoRows,
	removeMember,
	roleIn,
	type SpaceRole
} from '../helpers/spaces';
import { membersOf, strangersOf, signUpCast, spaceWithCast, type Cast } from '../helpers/cast';

let stack: TestStack;
let cast: Cast;
let spaceId: string;

const membershipsOf = async (id: string) =>
	stack.sql<{ user_id: string; role: SpaceRole }>(
		'select user_id, role::text as role from public.space_members where space_id = $1 order by user_id',
		[id]
	);

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack);
	spaceId = await spaceWithCast(cast);
});
afterAll(async () => {
	await stack?.stop();
});

describe('space_members: reading', () => {
	it('every member sees who is in the space and with which role', async () => {
		const expected = [
			{ user_id: cast.facilitator.id, role: 'facilitator' },
			{ user_id: cast.leader.id, role: 'leader' },
			{ user_id: cast.deputy.id, role: 'deputy' },
			{ user_id: cast.member.id, role: 'member' }
		].sort((a, b) => a.user_id.localeCompare(b.user_id));
		for (const who of membersOf(cast)) {
			const { data, error } = await who.client
				.from('space_members')
				.select('user_id, role')
				.eq('space_id', spaceId)
				.order('user_id');
			expect(error).toBeNull();
			expect(data).toEqual(expected);
		}
	});

	it('outsiders, removed members and anon see nobody', async () => {
		for (const who of strangersOf(cast)) {
			expect((await who.client.from('space_members').select('user_id').eq('space_id', spaceId)).data).toEqual(
				[]
			);
			const everything = (await who.client.from('space_members').select('space_id')).data ?? [];
			expect(everything.map((m) => m.space_id)).not.toContain(spaceId);
		}
		expect((await cast.anon.client.from('space_members').select('user_id')).data ?? []).toEqual([]);
	});
});

describe('space_members: joining', () => {
	it('nobody inserts a membership directly: not for themselves, not for others, not even a facilitator', async () => {
		const before = await membershipsOf(spaceId);
		const attempts = [
			cast.outsider.client
				.from('space_members')
				.insert({ space_id: spaceId, user_id: cast.outsider.id, role: 'facilitator' }),
			cast.outsider.client.from('space_members').insert({ space_id: spaceId, user_id: cast.outsider.id }),
			cast.removed.client.from('space_members').insert({ space_id: spaceId, user_id: cast.removed.id }),
			cast.member.client.from('space_members').insert({ space_id: spaceId, user_id: cast.outsider.id }),
			cast.facilitator.client.from('space_members').insert({ space_id: spaceId, user_id: cast.outsider.id }),
			cast.anon.client.from('space_members').insert({ space_id: spaceId, user_id: cast.outsider.id })
		];
		for (const res of await Promise.all(attempts)) {
			expect(res.error).not.toBeNull();
		}
		expect(await membershipsOf(spaceId)).toEqual(before);
	});
});

describe('space_members: roles, leaving and removal', () => {
	it('only a facilitator changes roles; nobody else promotes anyone, themselves included', async () => {
		const before = await membershipsOf(spaceId);
		for (const who of [cast.leader, cast.deputy, cast.member, cast.outsider, cast.removed]) {
			for (const target of [who, cast.member]) {
				const res = await who.client
					.from('space_members')
					.update({ role: 'facilitator' })
					.eq('space_id', spaceId)
					.eq('user_id', target.id)
					.select();
				expect(refusedOrNoRows(res), `${who.id} promoting ${target.id}`).toBe(true);
			}
		}
		const anon = await cast.anon.client
			.from('space_members')
			.update({ role: 'facilitator' })
			.eq('space_id', spaceId)
			.select();
		expect(anon.data ?? []).toEqual([]);
		expect(await membershipsOf(spaceId)).toEqual(before);

		const promoted = await cast.facilitator.client
			.from('space_members')
			.update({ role: 'leader' })
			.eq('space_id', spaceId)
			.eq('user_id', cast.member.id)
			.select('role');
		expect(promoted.data).toEqual([{ role: 'leader' }]);
		const back = await cast.facilitator.client
			.from('space_members')
			.update({ role: 'member' })
			.eq('space_id', spaceId)
			.eq('user_id', cast.member.id)
			.select('role');
		expect(back.data).toEqual([{ role: 'member' }]);
	});

	// If the update could touch every column, a facilitator could turn someone's membership into a
	// membership of any other person (no invite, no consent: that person's profile opens up too) or
	// move it to another space.
	it('a facilitator changes a role, never who the member is or which space they are in', async () => {
		const victim = await signedInUser(stack, 'Never invited');
		const joiner = await signedInUser(stack, 'Joiner Hạnh');
		await invitePerson(cast.facilitator, joiner, spaceId, 'member');
		const otherSpace = await createSpace(cast.facilitator, { name: 'Second space' });
		const before = await membershipsOf(spaceId);

		const swap = await cast.facilitator.client
			.from('space_members')
			.update({ user_id: victim.id })
			.eq('space_id', spaceId)
			.eq('user_id', joiner.id)
			.select('user_id');
		const move = await cast.facilitator.client
			.from('space_members')
			.update({ space_id: otherSpace })
			.eq('space_id', spaceId)
			.eq('user_id', joiner.id)
			.select('space_id');
		const backdate = await cast.facilitator.client
			.from('space_members')
			.update({ joined_at: '2001-01-01T00:00:00Z' })
			.eq('space_id', spaceId)
			.eq('user_id', joiner.id)
			.select('joined_at');

		expect(await roleIn(stack, spaceId, victim.id)).toBeNull();
		expect(await roleIn(stack, otherSpace, joiner.id)).toBeNull();
		expect(await membershipsOf(spaceId)).toEqual(before);
		expect(refusedOrNoRows(swap)).toBe(true);
		expect(refusedOrNoRows(move)).toBe(true);
		expect(refusedOrNoRows(backdate)).toBe(true);
	});

	it('a member may leave; afterwards they see nothing of the space', async () => {
		const leaver = await signedInUser(stack, 'Leaver Thảo');
		await invitePerson(cast.facilitator, leaver, spaceId, 'member');
		const left = await leaver.client
			.from('space_members')
			.delete()
			.eq('space_id', spaceId)
			.eq('user_id', leaver.id)
			.select('user_id');
		expect(left.error).toBeNull();
		expect(left.data).toEqual([{ user_id: leaver.id }]);
		expect(await roleIn(stack, spaceId, leaver.id)).toBeNull();
		expect((await leaver.client.from('spaces').select('id').eq('id', spaceId)).data).toEqual([]);
	});

	it('members, deputies, leaders and outsiders cannot remove anyone; a facilitator can', async () => {
		const target = await signedInUser(stack, 'Target Vy');
		await invitePerson(cast.facilitator, target, spaceId, 'member');
		const before = await membershipsOf(spaceId);
		for (const who of [cast.member, cast.deputy, cast.leader, cast.outsider, cast.removed]) {
			for (const victim of [target, cast.facilitator]) {
				const res = await who.client
					.from('space_members')
					.delete()
					.eq('space_id', spaceId)
					.eq('user_id', victim.id)
					.select();
				expect(refusedOrNoRows(res)).toBe(true);
			}
		}
		await cast.anon.client.from('space_members').delete().eq('space_id', spaceId);
		expect(await membershipsOf(spaceId)).toEqual(before);
		await removeMember(cast.facilitator, target, spaceId);
		expect(await roleIn(stack, spaceId, target.id)).toBeNull();
	});

	it('the last facilitator can neither leave, be demoted nor removed, and the database is unchanged', async () => {
		const before = await membershipsOf(spaceId);
		const leave = await cast.facilitator.client
			.from('space_members')
			.delete()
			.eq('space_id', spaceId)
			.eq('user_id', cast.facilitator.id)
			.select();
		expect(leave.error?.message).toContain('last_facilitator');
		for (const role of ['member', 'leader', 'deputy'] as const) {
			const demote = await cast.facilitator.client
				.from('space_members')
				.update({ role })
				.eq('space_id', spaceId)
				.eq('user_id', cast.facilitator.id)
				.select();
			expect(demote.error?.message).toContain('last_facilitator');
		}
		// Removing everyone at once still keeps the facilitator (the whole statement is refused).
		const everyone = await cast.facilitator.client
			.from('space_members')
			.delete()
			.eq('space_id', spaceId)
			.select();
		expect(everyone.error?.message).toContain('last_facilitator');
		expect(await membershipsOf(spaceId)).toEqual(before);
	});

	it('with a second facilitator, the first may step down', async () => {
		const space = await createSpace(cast.facilitator, { name: 'Two facilitators' });
		await invitePerson(cast.facilitator, cast.leader, space, 'facilitator');
		const stepDown = await cast.facilitator.client
			.from('space_members')
			.update({ role: 'member' })
			.eq('space_id', space)
			.eq('user_id', cast.facilitator.id)
			.select('role');
		expect(stepDown.data).toEqual([{ role: 'member' }]);
		const lastOne = await cast.leader.client
			.from('space_members')
			.update({ role: 'member' })
			.eq('space_id', space)
			.eq('user_id', cast.leader.id);
		expect(lastOne.error?.message).toContain('last_facilitator');
		expect(await roleIn(stack, space, cast.leader.id)).toBe('facilitator');
	});
});

describe('hand_over_facilitation()', () => {
	it('is refused to anyone but a facilitator, and the roles stay as they were', async () => {
		const before = await membershipsOf(spaceId);
		for (const who of [cast.leader, cast.deputy, cast.member, cast.outsider, cast.removed]) {
			const { error } = await who.client.rpc('hand_over_facilitation', { p_space: spaceId, p_to: who.id });
			expect(error?.message).toContain('not_allowed');
			const toOther = await who.client.rpc('hand_over_facilitation', {
				p_space: spaceId,
				p_to: cast.member.id
			});
			expect(toOther.error?.message).toContain('not_allowed');
		}
		const anon = await cast.anon.client.rpc('hand_over_facilitation', {
			p_space: spaceId,
			p_to: cast.member.id
		});
		expect(anon.error).not.toBeNull();
		expect(await membershipsOf(spaceId)).toEqual(before);
	});

	it('only hands over to another current member', async () => {
		const before = await membershipsOf(spaceId);
		for (const to of [cast.outsider.id, cast.removed.id, cast.facilitator.id, newId()]) {
			const { error } = await cast.facilitator.client.rpc('hand_over_facilitation', {
				p_space: spaceId,
				p_to: to
			});
			expect(error?.message).toContain('not_a_member');
		}
		expect(await membershipsOf(spaceId)).toEqual(before);
	});

	it('swaps both roles in one step, and the new facilitator can hand it back', async () => {
		const handed = await cast.facilitator.client.rpc('hand_over_facilitation', {
			p_space: spaceId,
			p_to: cast.member.id
		});
		expect(handed.error).toBeNull();
		expect(await roleIn(stack, spaceId, cast.member.id)).toBe('facilitator');
		expect(await roleIn(stack, spaceId, cast.facilitator.id)).toBe('member');
		// The former facilitator lost the powers at once.
		const tryAgain = await cast.facilitator.client.rpc('hand_over_facilitation', {
			p_space: spaceId,
			p_to: cast.leader.id
		});
		expect(tryAgain.error?.message).toContain('not_allowed');
		const edit = await cast.facilitator.client
			.from('spaces')
			.update({ name: 'Still mine?' })
			.eq('id', spaceId)
			.select();
		expect(edit.data).toEqual([]);

		const back = await cast.member.client.rpc('hand_over_facilitation', {
			p_space: spaceId,
			p_to: cast.facilitator.id
		});
		expect(back.error).toBeNull();
		expect(await roleIn(stack, spaceId, cast.facilitator.id)).toBe('facilitator');
		expect(await roleIn(stack, spaceId, cast.member.id)).toBe('member');
		expect(
			(
				await stack.sql(
					"select count(*)::int n from public.space_members where space_id = $1 and role = 'facilitator'",
					[spaceId]
				)
			)[0]
		).toEqual({ n: 1 });
	});
});

describe('a removed member', () => {
	// Each table's spec refuses the removed member of the cast every write (threads, posts,
	// reactions, read markers, memberships); this is the moment of removal itself.
	it('loses access at once, in the same session: space, members, threads, posts, reactions, revisions, mentions, search', async () => {
		const soonGone = await signedInUser(stack, 'Soon Gone');
		await invitePerson(cast.facilitator, soonGone, spaceId, 'member');
		const threadId = newId();
		const started = await soonGone.client.rpc('start_thread', {
			p_space: spaceId,
			p_title: 'Lương làm thêm giờ',
			p_body: 'Công ty trả thiếu tiền làm thêm giờ',
			p_topic: 'labour_law',
			p_id: threadId
		});
		expect(started.error).toBeNull();
		const replyId = newId();
		expect(
			(
				await cast.member.client
					.from('posts')
					.insert({ id: replyId, thread_id: threadId, space_id: spaceId, body: 'Chị hỏi @Soon Gone nhé' })
			).error
		).toBeNull();
		expect(
			(
				await soonGone.client
					.from('reactions')
					.insert({ post_id: replyId, user_id: soonGone.id, kind: 'thanks' })
			).error
		).toBeNull();
		expect(
			(await cast.member.client.from('posts').update({ body: 'Chị hỏi @Soon Gone nhé!' }).eq('id', replyId))
				.error
		).toBeNull();

		const views = async () => ({
			space: (await soonGone.client.from('spaces').select('id').eq('id', spaceId)).data,
			members: (await soonGone.client.from('space_members').select('user_id').eq('space_id', spaceId)).data,
			threads: (await soonGone.client.from('threads').select('id').eq('id', threadId)).data,
			posts: (await soonGone.client.from('posts').select('id').eq('thread_id', threadId)).data,
			reactions: (await soonGone.client.from('reactions').select('kind').eq('post_id', replyId)).data,
			revisions: (await soonGone.client.from('post_revisions').select('body').eq('post_id', replyId)).data,
			mentions: (await soonGone.client.from('mentions').select('user_id').eq('post_id', replyId)).data,
			search: (await soonGone.client.rpc('search_space', { p_space: spaceId, p_query: 'lam them' })).data,
			mySpaces: ((await soonGone.client.rpc('my_spaces')).data ?? []).filter((s) => s.id === spaceId)
		});
		const whileMember = await views();
		expect(whileMember.space).toHaveLength(1);
		expect(whileMember.members!.length).toBeGreaterThan(1);
		expect(whileMember.threads).toHaveLength(1);
		expect(whileMember.posts).toHaveLength(2);
		expect(whileMember.reactions).toEqual([{ kind: 'thanks' }]);
		expect(whileMember.revisions).toHaveLength(1);
		expect(whileMember.mentions).toEqual([{ user_id: soonGone.id }]);
		expect(whileMember.search!.length).toBeGreaterThan(0);
		expect(whileMember.mySpaces).toHaveLength(1);

		await removeMember(cast.facilitator, soonGone, spaceId);

		// Same session, no new sign-in: everything is gone.
		expect(await views()).toEqual({
			space: [],
			members: [],
			threads: [],
			posts: [],
			reactions: [],
			revisions: [],
			mentions: [],
			search: [],
			mySpaces: []
		});

		expect(await roleIn(stack, spaceId, soonGone.id)).toBeNull();
	});
});
