// Spaces and my_spaces(), as anon, an outsider, a member, a deputy, a leader,
// a facilitator and a removed member, through supabase-js against the real RLS
// of the local stack. Refused writes are followed by an owner-side look at the
// database to prove nothing changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser, startTestStack, type Person, type TestStack } from '../helpers/stack';
import { createInvite, roleIn, snapshot } from '../helpers/spaces';
import { membersOf, signUpCast, spaceWithCast, strangersOf, type Cast } from '../helpers/cast';
import { refusalKind } from '$lib/supabase/errors';

let stack: TestStack;
let cast: Cast;
let spaceId: string;
const seeSpace = (who: Person, id = spaceId) => who.client.from('spaces').select('id, name').eq('id', id);

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack);
	spaceId = await spaceWithCast(cast, undefined, {
		kind: 'club',
		name: 'Câu lạc bộ phụ nữ Bình Dương',
		objective: 'Quyền lợi của lao động nữ',
		primary_language: 'vi',
		colour: 'rose',
		icon: 'heart'
	});
});
afterAll(async () => {
	await stack?.stop();
});

describe('spaces: reading', () => {
	it('members of every role read their space', async () => {
		for (const who of membersOf(cast)) {
			const { data, error } = await seeSpace(who);
			expect(error).toBeNull();
			expect(data).toEqual([{ id: spaceId, name: 'Câu lạc bộ phụ nữ Bình Dương' }]);
		}
	});

	it('anon, outsiders and removed members see no trace of it, filtered or not', async () => {
		for (const who of strangersOf(cast)) {
			expect((await seeSpace(who)).data).toEqual([]);
			const all = (await who.client.from('spaces').select('id')).data ?? [];
			expect(all.map((s) => s.id)).not.toContain(spaceId);
			const mine = (await who.client.rpc('my_spaces')).data ?? [];
			expect(mine.map((s) => s.id)).not.toContain(spaceId);
		}
		const anon = cast.anon.client;
		expect((await anon.from('spaces').select('id')).data ?? []).toEqual([]);
		expect((await anon.from('spaces').select('id').eq('id', spaceId)).data ?? []).toEqual([]);
	});

	it('an outsider cannot learn that a space exists: every refusal reads the same as for a made-up id', async () => {
		const madeUp = crypto.randomUUID();
		const who = cast.outsider;
		const attempts = async (id: string) => {
			const thread = await who.client.rpc('start_thread', {
				p_space: id,
				p_title: 'Xin chào',
				p_body: 'Cho tôi vào với',
				p_topic: 'other'
			});
			const invite = await createInvite(who, id, 'member');
			const update = await who.client.from('spaces').update({ name: 'Mine now' }).eq('id', id).select();
			const handOver = await who.client.rpc('hand_over_facilitation', { p_space: id, p_to: who.id });
			const search = await who.client.rpc('search_space', { p_space: id, p_query: 'a' });
			return {
				thread: [refusalKind(thread.error), thread.error?.message],
				invite: [refusalKind(invite.error), invite.error?.message],
				update: [update.error, update.data],
				handOver: handOver.error?.message,
				search: [search.error, search.data]
			};
		};
		const real = await attempts(spaceId);
		expect(real.thread[0]).toBe('row_security');
		expect(real.invite[0]).toBe('row_security');
		expect(real.update).toEqual([null, []]);
		expect(real.handOver).toContain('not_allowed');
		expect(real.search).toEqual([null, []]);
		expect(real).toEqual(await attempts(madeUp));
		const [row] = await stack.sql<{ name: string }>('select name from public.spaces where id = $1', [
			spaceId
		]);
		expect(row.name).toBe('Câu lạc bộ phụ nữ Bình Dương');
	});
});

describe('spaces: creating', () => {
	it('anyone signed in opens a space and becomes its only member, as facilitator', async () => {
		const founder = await signedInUser(stack, 'Founder');
		const id = crypto.randomUUID();
		const { error } = await founder.client
			.from('spaces')
			.insert({ id, name: 'CoP Y tế', objective: 'Sức khỏe nghề nghiệp', created_by: founder.id });
		expect(error).toBeNull();
		expect((await seeSpace(founder, id)).data).toEqual([{ id, name: 'CoP Y tế' }]);
		expect(await roleIn(stack, id, founder.id)).toBe('facilitator');
		const members = await founder.client.from('space_members').select('user_id, role').eq('space_id', id);
		expect(members.data).toEqual([{ user_id: founder.id, role: 'facilitator' }]);
		const listed = ((await founder.client.rpc('my_spaces')).data ?? []).find((s) => s.id === id);
		expect(listed).toMatchObject({ name: 'CoP Y tế', role: 'facilitator', member_count: 1, unread_count: 0 });
	});

	// INSERT ... RETURNING is checked against the read policy before the AFTER trigger has made the
	// creator a member: the policy lets the creator read a space that has no members yet.
	it('the creator gets the new space back from insert().select()', async () => {
		const founder = await signedInUser(stack, 'Founder with select');
		const { data, error } = await founder.client
			.from('spaces')
			.insert({ name: 'CoP Lao động', objective: 'x', created_by: founder.id })
			.select('name');
		expect(error).toBeNull();
		expect(data).toEqual([{ name: 'CoP Lao động' }]);
	});

	it('nobody opens a space in someone else’s name or without a name; anon opens none', async () => {
		const before = await stack.sql('select id from public.spaces');
		const forged = await cast.outsider.client
			.from('spaces')
			.insert({ name: 'Forged', objective: 'x', created_by: cast.member.id });
		expect(refusalKind(forged.error)).toBe('row_security');
		const nobody = await cast.outsider.client
			.from('spaces')
			.insert({ name: 'Nobody’s', objective: 'x', created_by: null });
		expect(refusalKind(nobody.error)).toBe('row_security');
		const anon = await cast.anon.client.from('spaces').insert({ name: 'Anon', objective: 'x' });
		expect(anon.error).not.toBeNull();
		for (const fields of [
			{ name: '   ' },
			{ name: 'x'.repeat(121) },
			{ objective: 'x'.repeat(501) },
			{ colour: 'hotpink' },
			{ icon: 'skull' }
		]) {
			const bad = await cast.outsider.client
				.from('spaces')
				.insert({ name: 'Fine', objective: 'x', created_by: cast.outsider.id, ...fields });
			expect(refusalKind(bad.error), JSON.stringify(fields)).toBe('check');
		}
		expect(await stack.sql('select id from public.spaces')).toEqual(before);
	});
});

describe('spaces: changing and deleting', () => {
	it('leaders, deputies, members, outsiders and removed members cannot edit the space', async () => {
		const before = await snapshot(stack, 'spaces', 'id = $1', [spaceId]);
		for (const who of [cast.leader, cast.deputy, cast.member, cast.outsider, cast.removed]) {
			const res = await who.client
				.from('spaces')
				.update({ name: 'Hacked', colour: 'slate' })
				.eq('id', spaceId)
				.select();
			expect(res.error ?? res.data).toEqual([]);
		}
		const anon = await cast.anon.client.from('spaces').update({ name: 'Hacked' }).eq('id', spaceId).select();
		expect(anon.data ?? []).toEqual([]);
		expect(await snapshot(stack, 'spaces', 'id = $1', [spaceId])).toEqual(before);
	});

	it('the facilitator edits the space, within the schema limits', async () => {
		const { data, error } = await cast.facilitator.client
			.from('spaces')
			.update({ description: 'Họp mỗi tháng một lần', colour: 'amber' })
			.eq('id', spaceId)
			.select('description, colour');
		expect(error).toBeNull();
		expect(data).toEqual([{ description: 'Họp mỗi tháng một lần', colour: 'amber' }]);
		const tooLong = await cast.facilitator.client
			.from('spaces')
			.update({ description: 'x'.repeat(2001) })
			.eq('id', spaceId);
		expect(refusalKind(tooLong.error)).toBe('check');
		const [row] = await stack.sql<{ description: string }>(
			'select description from public.spaces where id = $1',
			[spaceId]
		);
		expect(row.description).toBe('Họp mỗi tháng một lần');
	});

	it('nobody deletes a space through the API, not even its facilitator', async () => {
		for (const who of [...membersOf(cast), ...strangersOf(cast)]) {
			const res = await who.client.from('spaces').delete().eq('id', spaceId).select();
			expect(res.error ?? res.data).toEqual([]);
		}
		const anon = await cast.anon.client.from('spaces').delete().eq('id', spaceId).select();
		expect(anon.data ?? []).toEqual([]);
		expect(await stack.sql('select id from public.spaces where id = $1', [spaceId])).toHaveLength(1);
		expect(
			await stack.sql('select user_id from public.space_members where space_id = $1', [spaceId])
		).toHaveLength(4);
	});
});

describe('my_spaces()', () => {
	it('lists the space for each member with their own role and the member count', async () => {
		const expected = [
			[cast.facilitator, 'facilitator'],
			[cast.leader, 'leader'],
			[cast.deputy, 'deputy'],
			[cast.member, 'member']
		] as const;
		for (const [who, role] of expected) {
			const { data, error } = await who.client.rpc('my_spaces');
			expect(error).toBeNull();
			const row = data?.find((s) => s.id === spaceId);
			expect(row).toMatchObject({ kind: 'club', role, member_count: 4, primary_language: 'vi' });
		}
	});

	it('is refused to anon', async () => {
		const { data, error } = await cast.anon.client.rpc('my_spaces');
		expect(error).not.toBeNull();
		expect(data ?? []).toEqual([]);
	});
});

describe('space_has_members()', () => {
	it('tells nobody but the creator whether a space id exists', async () => {
		const made = crypto.randomUUID();
		for (const who of [cast.outsider, cast.member, cast.removed]) {
			const real = await who.client.rpc('space_has_members', { p_space: spaceId });
			const madeUp = await who.client.rpc('space_has_members', { p_space: made });
			expect(real.data ?? false, 'an existing space').toBe(false);
			expect(madeUp.data ?? false).toBe(false);
		}
		expect((await cast.facilitator.client.rpc('space_has_members', { p_space: spaceId })).data).toBe(true);
		const anon = await cast.anon.client.rpc('space_has_members', { p_space: spaceId });
		expect(anon.data ?? false).toBe(false);
	});
});

describe('spaces: names that hide themselves', () => {
	it('refuses a name of invisible characters and one with a right-to-left override', async () => {
		for (const name of ['\u200b\u200b\u200b', '\u2060\ufeff', 'CLB \u202eenilno', 'Nhóm\u2066A']) {
			const { error } = await cast.member.client
				.from('spaces')
				.insert({ id: crypto.randomUUID(), name, objective: 'x', created_by: cast.member.id });
			expect(refusalKind(error), JSON.stringify(name)).toBe('check');
		}
		const khmer = 'ក្លឹប\u200bស្ត្រី';
		const { error } = await cast.member.client
			.from('spaces')
			.insert({ id: crypto.randomUUID(), name: khmer, objective: 'x', created_by: cast.member.id });
		expect(error).toBeNull();
	});
});
