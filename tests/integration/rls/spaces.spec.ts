// Who may do what with spaces, members and invites — tried through
// supabase-js as anon, an outsider, a member, a leader, a facilitator and a
// removed member, against real RLS. Each refusal also checks that the
// database did not change (read back as the owner).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	anonClient,
	castOfFive,
	signedInUser,
	startTestStack,
	type Person,
	type TestStack
} from '../helpers/stack';
import { refusalKind } from '$lib/supabase/errors';
import { generateInviteCode } from '$lib/spaces/invite-code';

let stack: TestStack;
let facilitator: Person, leader: Person, member: Person, outsider: Person, removed: Person;
const spaceId = crypto.randomUUID();

async function invite(
	by: Person,
	role: 'facilitator' | 'leader' | 'deputy' | 'member',
	extra: Record<string, unknown> = {}
) {
	const c = generateInviteCode();
	const { error } = await by.client
		.from('space_invites')
		.insert({ space_id: spaceId, code: c, role, created_by: by.id, ...extra });
	return { code: c, error };
}
const roleOf = async (userId: string) =>
	(
		await stack.sql<{ role: string }>(
			'select role from public.space_members where space_id = $1 and user_id = $2',
			[spaceId, userId]
		)
	)[0]?.role ?? null;

beforeAll(async () => {
	stack = await startTestStack();
	({ facilitator, leader, member, outsider, removed } = await castOfFive(stack));
	expect(
		(
			await facilitator.client
				.from('spaces')
				.insert({ id: spaceId, name: 'CoP-Women', objective: 'x', created_by: facilitator.id })
		).error
	).toBeNull();
	const asLeader = await invite(facilitator, 'leader');
	const asMember = await invite(facilitator, 'member', { max_uses: 10 });
	expect((await leader.client.rpc('redeem_invite', { p_code: asLeader.code })).error).toBeNull();
	expect((await member.client.rpc('redeem_invite', { p_code: asMember.code })).error).toBeNull();
	expect((await removed.client.rpc('redeem_invite', { p_code: asMember.code })).error).toBeNull();
	expect(
		(
			await facilitator.client
				.from('space_members')
				.delete()
				.eq('space_id', spaceId)
				.eq('user_id', removed.id)
				.select()
		).data
	).toHaveLength(1);
});
afterAll(async () => {
	await stack?.stop();
});

describe('spaces', () => {
	it('exist only for their members: anon, outsiders and removed members see nothing', async () => {
		for (const who of [member, leader, facilitator]) {
			expect((await who.client.from('spaces').select('id').eq('id', spaceId)).data).toHaveLength(1);
		}
		for (const who of [outsider, removed]) {
			expect((await who.client.from('spaces').select('id').eq('id', spaceId)).data).toEqual([]);
		}
		expect((await anonClient(stack).from('spaces').select('id')).data ?? []).toEqual([]);
	});

	it('anyone signed in may open a space for themselves, never in someone else’s name; anon may not', async () => {
		const own = await outsider.client
			.from('spaces')
			.insert({ name: 'Mine', objective: 'x', created_by: outsider.id });
		expect(own.error).toBeNull();
		const forged = await outsider.client
			.from('spaces')
			.insert({ name: 'Forged', objective: 'x', created_by: member.id });
		expect(refusalKind(forged.error)).toBe('row_security');
		const anon = await anonClient(stack).from('spaces').insert({ name: 'Anon', objective: 'x' });
		expect(anon.error).not.toBeNull();
		expect(await stack.sql('select 1 from public.spaces where name in ($1, $2)', ['Forged', 'Anon'])).toEqual(
			[]
		);
	});

	it('only facilitators edit a space; nobody deletes one through the API', async () => {
		for (const who of [member, leader, outsider, removed]) {
			const { data } = await who.client.from('spaces').update({ name: 'Hacked' }).eq('id', spaceId).select();
			expect(data ?? []).toEqual([]);
		}
		expect(
			(
				await facilitator.client
					.from('spaces')
					.update({ objective: 'Updated' })
					.eq('id', spaceId)
					.select('objective')
			).data
		).toEqual([{ objective: 'Updated' }]);
		await facilitator.client.from('spaces').delete().eq('id', spaceId);
		const [row] = await stack.sql<{ name: string }>('select name from public.spaces where id = $1', [
			spaceId
		]);
		expect(row.name).toBe('CoP-Women');
	});
});

describe('space_members', () => {
	it('members see each other; outsiders and removed members see no one', async () => {
		expect(
			(await member.client.from('space_members').select('user_id').eq('space_id', spaceId)).data
		).toHaveLength(3);
		expect(
			(await outsider.client.from('space_members').select('user_id').eq('space_id', spaceId)).data
		).toEqual([]);
		expect(
			(await removed.client.from('space_members').select('user_id').eq('space_id', spaceId)).data
		).toEqual([]);
	});

	it('nobody adds themselves or others directly: only an invite lets people in', async () => {
		const self = await outsider.client
			.from('space_members')
			.insert({ space_id: spaceId, user_id: outsider.id, role: 'facilitator' });
		expect(self.error).not.toBeNull();
		const other = await facilitator.client
			.from('space_members')
			.insert({ space_id: spaceId, user_id: outsider.id });
		expect(other.error).not.toBeNull();
		expect(await roleOf(outsider.id)).toBeNull();
	});

	it('only facilitators change roles; members and leaders cannot promote anyone, themselves included', async () => {
		for (const who of [member, leader]) {
			const { data } = await who.client
				.from('space_members')
				.update({ role: 'facilitator' })
				.eq('space_id', spaceId)
				.eq('user_id', who.id)
				.select();
			expect(data ?? []).toEqual([]);
		}
		expect(await roleOf(member.id)).toBe('member');
		expect(await roleOf(leader.id)).toBe('leader');
		const { data } = await facilitator.client
			.from('space_members')
			.update({ role: 'deputy' })
			.eq('space_id', spaceId)
			.eq('user_id', member.id)
			.select('role');
		expect(data).toEqual([{ role: 'deputy' }]);
		await facilitator.client
			.from('space_members')
			.update({ role: 'member' })
			.eq('space_id', spaceId)
			.eq('user_id', member.id);
	});

	it('the last facilitator can neither leave nor step down', async () => {
		const leave = await facilitator.client
			.from('space_members')
			.delete()
			.eq('space_id', spaceId)
			.eq('user_id', facilitator.id);
		expect(leave.error?.message).toContain('last_facilitator');
		const demote = await facilitator.client
			.from('space_members')
			.update({ role: 'member' })
			.eq('space_id', spaceId)
			.eq('user_id', facilitator.id);
		expect(demote.error?.message).toContain('last_facilitator');
		expect(await roleOf(facilitator.id)).toBe('facilitator');
	});

	it('members cannot remove others; a member may leave', async () => {
		const { data } = await member.client
			.from('space_members')
			.delete()
			.eq('space_id', spaceId)
			.eq('user_id', leader.id)
			.select();
		expect(data ?? []).toEqual([]);
		expect(await roleOf(leader.id)).toBe('leader');
		const leaver = await signedInUser(stack, 'Leaver');
		const { code: c } = await invite(facilitator, 'member');
		await leaver.client.rpc('redeem_invite', { p_code: c });
		expect(
			(
				await leaver.client
					.from('space_members')
					.delete()
					.eq('space_id', spaceId)
					.eq('user_id', leaver.id)
					.select()
			).data
		).toHaveLength(1);
		expect(await roleOf(leaver.id)).toBeNull();
	});

	it('handing over facilitation is atomic and only for facilitators', async () => {
		const notAllowed = await leader.client.rpc('hand_over_facilitation', {
			p_space: spaceId,
			p_to: leader.id
		});
		expect(notAllowed.error?.message).toContain('not_allowed');
		const outsiderTarget = await facilitator.client.rpc('hand_over_facilitation', {
			p_space: spaceId,
			p_to: outsider.id
		});
		expect(outsiderTarget.error?.message).toContain('not_a_member');
		expect(await roleOf(facilitator.id)).toBe('facilitator');

		expect(
			(await facilitator.client.rpc('hand_over_facilitation', { p_space: spaceId, p_to: leader.id })).error
		).toBeNull();
		expect(await roleOf(leader.id)).toBe('facilitator');
		expect(await roleOf(facilitator.id)).toBe('member');
		expect(
			(await leader.client.rpc('hand_over_facilitation', { p_space: spaceId, p_to: facilitator.id })).error
		).toBeNull();
		await facilitator.client
			.from('space_members')
			.update({ role: 'leader' })
			.eq('space_id', spaceId)
			.eq('user_id', leader.id);
		expect(await roleOf(leader.id)).toBe('leader');
		expect(await roleOf(facilitator.id)).toBe('facilitator');
	});
});

describe('space_invites', () => {
	it('are visible to moderators only', async () => {
		expect(
			((await facilitator.client.from('space_invites').select('id').eq('space_id', spaceId)).data ?? [])
				.length
		).toBeGreaterThan(0);
		expect(
			((await leader.client.from('space_invites').select('id').eq('space_id', spaceId)).data ?? []).length
		).toBeGreaterThan(0);
		for (const who of [member, outsider, removed]) {
			expect(
				(await who.client.from('space_invites').select('id').eq('space_id', spaceId)).data ?? []
			).toEqual([]);
		}
	});

	it('facilitators invite with any role, leaders only members, members and outsiders not at all', async () => {
		expect((await invite(facilitator, 'deputy')).error).toBeNull();
		expect((await invite(leader, 'member')).error).toBeNull();
		expect(refusalKind((await invite(leader, 'leader')).error)).toBe('row_security');
		expect(refusalKind((await invite(member, 'member')).error)).toBe('row_security');
		expect(refusalKind((await invite(outsider, 'member')).error)).toBe('row_security');
		const forgedUses = await invite(facilitator, 'member', { uses: -100 });
		expect(forgedUses.error).not.toBeNull();
	});

	it('moderators revoke; members cannot; nobody deletes', async () => {
		const { code: c } = await invite(facilitator, 'member');
		const [{ id }] = await stack.sql<{ id: string }>('select id from public.space_invites where code = $1', [
			c
		]);
		expect(
			(
				await member.client
					.from('space_invites')
					.update({ revoked_at: new Date().toISOString() })
					.eq('id', id)
					.select()
			).data ?? []
		).toEqual([]);
		const changeRole = await leader.client.from('space_invites').update({ role: 'facilitator' }).eq('id', id);
		expect(changeRole.error?.message).toContain('invite_immutable');
		expect(
			(
				await leader.client
					.from('space_invites')
					.update({ revoked_at: new Date().toISOString() })
					.eq('id', id)
					.select('id')
			).data
		).toHaveLength(1);
		await facilitator.client.from('space_invites').delete().eq('id', id);
		expect(await stack.sql('select 1 from public.space_invites where id = $1', [id])).toHaveLength(1);
		const joined = await outsider.client.rpc('redeem_invite', { p_code: c });
		expect(joined.error?.message).toContain('invite_not_found');
	});

	it('unknown, expired and used-up codes are refused; joining twice says so; paper-note typing works', async () => {
		const newcomer = await signedInUser(stack, 'Newcomer');
		expect((await newcomer.client.rpc('redeem_invite', { p_code: 'ZZZZZZZZ' })).error?.message).toContain(
			'invite_not_found'
		);
		const expired = await invite(facilitator, 'member', {
			expires_at: new Date(Date.now() - 1000).toISOString()
		});
		expect((await newcomer.client.rpc('redeem_invite', { p_code: expired.code })).error?.message).toContain(
			'invite_expired'
		);
		const once = await invite(facilitator, 'member', { max_uses: 1 });
		const typed = `${once.code.slice(0, 4).toLowerCase()}-${once.code.slice(4).toLowerCase()} `;
		expect((await newcomer.client.rpc('redeem_invite', { p_code: typed })).data).toBe(spaceId);
		expect((await newcomer.client.rpc('redeem_invite', { p_code: once.code })).error?.message).toContain(
			'already_member'
		);
		const late = await signedInUser(stack, 'Late');
		expect((await late.client.rpc('redeem_invite', { p_code: once.code })).error?.message).toContain(
			'invite_expired'
		);
		expect((await anonClient(stack).rpc('redeem_invite', { p_code: once.code })).error).not.toBeNull();
		expect(await roleOf(late.id)).toBeNull();
	});
});

describe('profiles', () => {
	it('are readable by people who share a space, not by others', async () => {
		expect((await leader.client.from('profiles').select('display_name').eq('id', member.id)).data).toEqual([
			{ display_name: 'Me Member' }
		]);
		expect((await outsider.client.from('profiles').select('display_name').eq('id', member.id)).data).toEqual(
			[]
		);
		expect((await removed.client.from('profiles').select('display_name').eq('id', member.id)).data).toEqual(
			[]
		);
	});
});
