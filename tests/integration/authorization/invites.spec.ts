// Invites and joining: space_invites (who creates, sees and revokes which
// invites, and what may change) and redeem_invite(), tried by anon, an
// outsider, a member, a deputy, a leader, a facilitator and a removed member.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser, startTestStack, type Person, type TestStack } from '../helpers/stack';
import {
	createInvite,
	createSpace,
	invitePerson,
	refusedOrNoRows,
	removeMember,
	roleIn,
	snapshot,
	type SpaceRole
} from '../helpers/spaces';
import { membersOf, moderatorsOf, signUpCast, spaceWithCast, type Cast } from '../helpers/cast';
import { refusalKind } from '$lib/supabase/errors';

let stack: TestStack;
let cast: Cast;
let spaceId: string;

const redeem = (who: Person, code: string) => who.client.rpc('redeem_invite', { p_code: code });
const membershipsOf = async (id: string) =>
	stack.sql<{ user_id: string; role: SpaceRole }>(
		'select user_id, role::text as role from public.space_members where space_id = $1 order by user_id',
		[id]
	);
const invitesOf = (id: string) => snapshot(stack, 'space_invites', 'space_id = $1', [id]);
const inviteByCode = async (code: string) =>
	(
		await stack.sql<{
			id: string;
			uses: number;
			revoked_at: string | null;
			expires_at: string;
			max_uses: number | null;
		}>('select id, uses, revoked_at, expires_at, max_uses from public.space_invites where code = $1', [code])
	)[0];

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack);
	spaceId = await spaceWithCast(cast);
});
afterAll(async () => {
	await stack?.stop();
});

describe('space_invites', () => {
	it('a facilitator invites with any role; leaders and deputies only as member; others not at all', async () => {
		for (const role of ['facilitator', 'leader', 'deputy', 'member'] as const) {
			expect((await createInvite(cast.facilitator, spaceId, role)).error, role).toBeNull();
		}
		for (const who of [cast.leader, cast.deputy]) {
			expect((await createInvite(who, spaceId, 'member')).error).toBeNull();
		}
		const before = await invitesOf(spaceId);
		for (const who of [cast.leader, cast.deputy]) {
			for (const role of ['facilitator', 'leader', 'deputy'] as const) {
				expect(refusalKind((await createInvite(who, spaceId, role)).error), role).toBe('row_security');
			}
		}
		for (const who of [cast.member, cast.outsider, cast.removed]) {
			expect(refusalKind((await createInvite(who, spaceId, 'member')).error)).toBe('row_security');
		}
		const anon = await cast.anon.client
			.from('space_invites')
			.insert({ space_id: spaceId, code: 'ABCDEFGH', role: 'member' });
		expect(anon.error).not.toBeNull();
		expect(await invitesOf(spaceId)).toEqual(before);
	});

	it('an invite is made in one’s own name, unused, unrevoked and with a well-formed code', async () => {
		const before = await invitesOf(spaceId);
		const who = cast.facilitator;
		const rls = [
			{ created_by: cast.leader.id },
			{ uses: 5 },
			{ uses: -100 },
			{ revoked_at: new Date().toISOString() }
		];
		for (const extra of rls) {
			expect(
				refusalKind((await createInvite(who, spaceId, 'member', extra)).error),
				JSON.stringify(extra)
			).toBe('row_security');
		}
		for (const code of ['ABC', 'abcdefgh', 'ABCDEFG0', 'ABCDEFGI', 'ABCDEFGL', 'ABCDEFGO', 'ABCD-EFG']) {
			const { error } = await who.client
				.from('space_invites')
				.insert({ space_id: spaceId, code, role: 'member', created_by: who.id });
			expect(refusalKind(error), code).toBe('check');
		}
		for (const max_uses of [0, 1001]) {
			expect(refusalKind((await createInvite(who, spaceId, 'member', { max_uses })).error)).toBe('check');
		}
		expect(await invitesOf(spaceId)).toEqual(before);
	});

	it('moderators see the invites of their space; members, outsiders, removed members and anon do not', async () => {
		const invite = await createInvite(cast.leader, spaceId, 'member');
		for (const who of moderatorsOf(cast)) {
			const { data } = await who.client.from('space_invites').select('code').eq('code', invite.code);
			expect(data).toEqual([{ code: invite.code }]);
		}
		for (const who of [cast.member, cast.outsider, cast.removed]) {
			expect((await who.client.from('space_invites').select('code').eq('space_id', spaceId)).data).toEqual(
				[]
			);
		}
		expect((await cast.anon.client.from('space_invites').select('code')).data ?? []).toEqual([]);
	});

	it('moderators revoke; members cannot; nobody deletes an invite or changes its code, role or space', async () => {
		const invite = await createInvite(cast.facilitator, spaceId, 'member');
		const { id } = await inviteByCode(invite.code);
		const before = await snapshot(stack, 'space_invites', 'id = $1', [id]);
		const now = new Date().toISOString();
		for (const who of [cast.member, cast.outsider, cast.removed]) {
			const res = await who.client.from('space_invites').update({ revoked_at: now }).eq('id', id).select();
			expect(refusedOrNoRows(res)).toBe(true);
		}
		for (const who of membersOf(cast)) {
			const res = await who.client.from('space_invites').delete().eq('id', id).select();
			expect(refusedOrNoRows(res)).toBe(true);
		}
		const otherSpace = await createSpace(cast.facilitator, { name: 'Elsewhere' });
		for (const who of [cast.facilitator, cast.leader]) {
			for (const change of [
				{ role: 'facilitator' as const },
				{ code: 'ABCDEFGH' },
				{ space_id: otherSpace }
			]) {
				const res = await who.client.from('space_invites').update(change).eq('id', id);
				expect(res.error?.message, JSON.stringify(change)).toContain('invite_immutable');
			}
		}
		expect(await snapshot(stack, 'space_invites', 'id = $1', [id])).toEqual(before);

		// Each moderator revokes a member invite someone else made.
		const leaderInvite = await createInvite(cast.leader, spaceId, 'member');
		const deputyInvite = await createInvite(cast.deputy, spaceId, 'member');
		const revokes: [Person, string][] = [
			[cast.facilitator, leaderInvite.code],
			[cast.leader, deputyInvite.code],
			[cast.deputy, invite.code]
		];
		for (const [who, code] of revokes) {
			const revoked = await who.client
				.from('space_invites')
				.update({ revoked_at: now })
				.eq('code', code)
				.select('code');
			expect(revoked.data).toEqual([{ code }]);
		}
		const late = await signedInUser(stack, 'Too late');
		for (const { code } of [invite, leaderInvite, deputyInvite]) {
			expect((await redeem(late, code)).error?.message).toContain('invite_not_found');
		}
		expect(await roleIn(stack, spaceId, late.id)).toBeNull();
	});

	// A leader who could read facilitator codes could leave and come back as a facilitator (or hand
	// the code to a second account).
	it('a leader cannot see facilitator invite codes, so cannot leave and come back as facilitator', async () => {
		const founder = await signedInUser(stack, 'Founder Bích');
		const ambitious = await signedInUser(stack, 'Ambitious leader');
		const space = await createSpace(founder, { name: 'Escalation check' });
		await invitePerson(founder, ambitious, space, 'leader');
		const forSomeoneElse = await createInvite(founder, space, 'facilitator', { max_uses: 1 });
		expect(forSomeoneElse.error).toBeNull();

		const visible = await ambitious.client
			.from('space_invites')
			.select('code, role')
			.eq('space_id', space)
			.neq('role', 'member');
		for (const { code } of visible.data ?? []) {
			await ambitious.client.from('space_members').delete().eq('space_id', space).eq('user_id', ambitious.id);
			await redeem(ambitious, code);
		}
		expect(await roleIn(stack, space, ambitious.id)).not.toBe('facilitator');
		expect(visible.data ?? []).toEqual([]);
	});

	// If moderators could change revoked_at, uses, max_uses or expires_at, a leader could revive a
	// revoked, expired or used-up leader invite (one a leader may not create).
	it('revoking is final and an invite’s use count only moves through redeem_invite()', async () => {
		const leaderInvite = await createInvite(cast.facilitator, spaceId, 'leader', { max_uses: 1 });
		const used = await signedInUser(stack, 'Used the leader code');
		expect((await redeem(used, leaderInvite.code)).error).toBeNull();
		const revokedInvite = await createInvite(cast.facilitator, spaceId, 'leader');
		await cast.facilitator.client
			.from('space_invites')
			.update({ revoked_at: new Date().toISOString() })
			.eq('code', revokedInvite.code);
		const before = await invitesOf(spaceId);

		const reset = await cast.leader.client
			.from('space_invites')
			.update({ uses: 0, max_uses: 1000 })
			.eq('code', leaderInvite.code)
			.select('uses');
		const unrevoke = await cast.leader.client
			.from('space_invites')
			.update({ revoked_at: null, expires_at: '2099-01-01T00:00:00Z' })
			.eq('code', revokedInvite.code)
			.select('revoked_at');
		const unrevokeByFacilitator = await cast.facilitator.client
			.from('space_invites')
			.update({ revoked_at: null })
			.eq('code', revokedInvite.code)
			.select('revoked_at');
		const forgedUses = await cast.facilitator.client
			.from('space_invites')
			.update({ uses: 0 })
			.eq('code', leaderInvite.code)
			.select('uses');

		const newcomer = await signedInUser(stack, 'Would-be leader');
		await redeem(newcomer, leaderInvite.code);
		await redeem(newcomer, revokedInvite.code);
		expect(await roleIn(stack, spaceId, newcomer.id)).toBeNull();
		expect(await invitesOf(spaceId)).toEqual(before);
		for (const res of [reset, unrevoke, unrevokeByFacilitator, forgedUses]) {
			expect(refusedOrNoRows(res)).toBe(true);
		}
	});
});

describe('redeem_invite()', () => {
	it('an invite code lets a person in with the invite’s role and counts the use', async () => {
		const newcomer = await signedInUser(stack, 'Joiner Lan');
		const invite = await createInvite(cast.facilitator, spaceId, 'deputy', { max_uses: 3 });
		expect(invite.error).toBeNull();
		const joined = await redeem(newcomer, invite.code);
		expect(joined.error).toBeNull();
		expect(joined.data).toBe(spaceId);
		expect(await roleIn(stack, spaceId, newcomer.id)).toBe('deputy');
		expect((await inviteByCode(invite.code)).uses).toBe(1);
		expect((await newcomer.client.from('spaces').select('id').eq('id', spaceId)).data).toEqual([
			{ id: spaceId }
		]);
		await removeMember(cast.facilitator, newcomer, spaceId);
	});

	it('a code typed from a paper note works: lower case, spaces and dashes are ignored', async () => {
		const invite = await createInvite(cast.facilitator, spaceId, 'member');
		const typed = [
			`${invite.code.slice(0, 4).toLowerCase()}-${invite.code.slice(4).toLowerCase()}`,
			` ${invite.code.slice(0, 4)} ${invite.code.slice(4).toLowerCase()} `
		];
		for (const code of typed) {
			const person = await signedInUser(stack, 'Paper note');
			const joined = await redeem(person, code);
			expect(joined.error, code).toBeNull();
			expect(await roleIn(stack, spaceId, person.id)).toBe('member');
			await removeMember(cast.facilitator, person, spaceId);
		}
	});

	it('refuses unknown, revoked, expired and used-up codes and joining twice, leaving everything as it was', async () => {
		const stranger = await signedInUser(stack, 'Stranger Sokha');
		const revoked = await createInvite(cast.facilitator, spaceId, 'member');
		expect(
			(
				await cast.facilitator.client
					.from('space_invites')
					.update({ revoked_at: new Date().toISOString() })
					.eq('code', revoked.code)
					.select('id')
			).data
		).toHaveLength(1);
		const expired = await createInvite(cast.facilitator, spaceId, 'leader', {
			expires_at: new Date(Date.now() - 60_000).toISOString()
		});
		const once = await createInvite(cast.facilitator, spaceId, 'member', { max_uses: 1 });
		const firstComer = await signedInUser(stack, 'First comer');
		expect((await redeem(firstComer, once.code)).error).toBeNull();
		const beforeMembers = await membershipsOf(spaceId);
		const beforeInvites = await invitesOf(spaceId);

		const cases: [string, string][] = [
			['ZZZZZZZZ', 'invite_not_found'],
			['', 'invite_not_found'],
			['not a code at all', 'invite_not_found'],
			[revoked.code, 'invite_not_found'],
			[expired.code, 'invite_expired'],
			[once.code, 'invite_expired']
		];
		for (const [code, word] of cases) {
			const { data, error } = await redeem(stranger, code);
			expect(data, code).toBeNull();
			expect(error?.message, code).toContain(word);
		}
		const twice = await redeem(firstComer, once.code);
		expect(twice.error?.message).toContain('already_member');
		const fresh = await createInvite(cast.facilitator, spaceId, 'facilitator');
		const memberAgain = await redeem(cast.member, fresh.code);
		expect(memberAgain.error?.message).toContain('already_member');
		expect(await roleIn(stack, spaceId, cast.member.id)).toBe('member');
		const anon = await cast.anon.client.rpc('redeem_invite', { p_code: fresh.code });
		expect(anon.error).not.toBeNull();

		expect(await membershipsOf(spaceId)).toEqual(beforeMembers);
		const afterInvites = await invitesOf(spaceId);
		expect(afterInvites.filter((i) => i.code !== fresh.code)).toEqual(beforeInvites);
		expect((await inviteByCode(fresh.code)).uses).toBe(0);
		await removeMember(cast.facilitator, firstComer, spaceId);
	});
});

describe('redeem_invite() after a removal', () => {
	it('a removed member cannot come back with a code made before the removal, only with a new invitation', async () => {
		const person = await signedInUser(stack, 'Re Rejoiner');
		const paper = await createInvite(cast.facilitator, spaceId, 'member'); // no use limit: the paper note
		expect((await redeem(person, paper.code)).error).toBeNull();
		await removeMember(cast.facilitator, person, spaceId);

		const again = await redeem(person, paper.code);
		expect(again.data).toBeNull();
		expect(again.error?.message).toContain('removed_from_space');
		expect(await roleIn(stack, spaceId, person.id)).toBeNull();
		// Any other code made before the removal is refused the same way.
		const [older] = await stack.sql<{ code: string }>(
			`select code from public.space_invites where space_id = $1 and revoked_at is null
			   and created_at < (select removed_at from public.space_removals where space_id = $1 and user_id = $2)
			   and expires_at > now() and code <> $3 limit 1`,
			[spaceId, person.id, paper.code]
		);
		if (older) expect((await redeem(person, older.code)).error?.message).toContain('removed_from_space');

		// The facilitator sees the removal; the person and the other members do not.
		const seenByFacilitator = await cast.facilitator.client
			.from('space_removals')
			.select('user_id')
			.eq('space_id', spaceId)
			.eq('user_id', person.id);
		expect(seenByFacilitator.data).toEqual([{ user_id: person.id }]);
		for (const who of [person, cast.member, cast.leader]) {
			const seen = await who.client.from('space_removals').select('user_id').eq('space_id', spaceId);
			expect(seen.data ?? []).toEqual([]);
		}

		const fresh = await createInvite(cast.facilitator, spaceId, 'member');
		expect((await redeem(person, fresh.code)).error).toBeNull();
		expect(await roleIn(stack, spaceId, person.id)).toBe('member');
		expect(
			await stack.sql('select 1 from public.space_removals where space_id = $1 and user_id = $2', [
				spaceId,
				person.id
			])
		).toEqual([]);
		await removeMember(cast.facilitator, person, spaceId);
	});

	it('leaving on one’s own is not a removal: the same code works again', async () => {
		const person = await signedInUser(stack, 'Le Leaver');
		const paper = await createInvite(cast.facilitator, spaceId, 'member');
		expect((await redeem(person, paper.code)).error).toBeNull();
		const left = await person.client
			.from('space_members')
			.delete()
			.eq('space_id', spaceId)
			.eq('user_id', person.id)
			.select('user_id');
		expect(left.data).toHaveLength(1);
		expect((await redeem(person, paper.code)).error).toBeNull();
		await removeMember(cast.facilitator, person, spaceId);
	});

	it('nobody writes removals through the API', async () => {
		for (const who of [cast.facilitator, cast.removed, cast.outsider]) {
			const insert = await who.client
				.from('space_removals')
				.insert({ space_id: spaceId, user_id: cast.outsider.id, removed_by: who.id });
			expect(insert.error).not.toBeNull();
		}
		const cleared = await cast.removed.client
			.from('space_removals')
			.delete()
			.eq('space_id', spaceId)
			.eq('user_id', cast.removed.id)
			.select();
		expect(refusedOrNoRows(cleared)).toBe(true);
		expect(
			await stack.sql('select 1 from public.space_removals where space_id = $1 and user_id = $2', [
				spaceId,
				cast.removed.id
			])
		).toHaveLength(1);
	});
});

describe('invite_preview()', () => {
	const preview = (who: Person | typeof cast.anon, code: string) =>
		who.client.rpc('invite_preview', { p_code: code });

	it('tells anyone holding a usable code the space’s name and kind, and nothing else', async () => {
		const [space] = await stack.sql<{ name: string; kind: string }>(
			'select name, kind::text as kind from public.spaces where id = $1',
			[spaceId]
		);
		const paper = await createInvite(cast.facilitator, spaceId, 'leader', { max_uses: 5 });
		const typed = `${paper.code.slice(0, 4).toLowerCase()} ${paper.code.slice(4).toLowerCase()}`;
		for (const who of [cast.anon, cast.outsider, cast.member, cast.removed]) {
			for (const code of [paper.code, typed]) {
				const { data, error } = await preview(who, code);
				expect(error).toBeNull();
				// Exactly these two columns: no space id, role, uses or inviter.
				expect(data).toEqual([{ name: space.name, kind: space.kind }]);
			}
		}
		expect((await inviteByCode(paper.code)).uses).toBe(0); // looking is not joining
	});

	it('answers nothing, the same way, for unknown, revoked, expired and used-up codes', async () => {
		const revoked = await createInvite(cast.facilitator, spaceId, 'member');
		await cast.facilitator.client
			.from('space_invites')
			.update({ revoked_at: new Date().toISOString() })
			.eq('code', revoked.code);
		const expired = await createInvite(cast.facilitator, spaceId, 'member', {
			expires_at: new Date(Date.now() - 60_000).toISOString()
		});
		const once = await createInvite(cast.facilitator, spaceId, 'member', { max_uses: 1 });
		const comer = await signedInUser(stack, 'Once Comer');
		expect((await redeem(comer, once.code)).error).toBeNull();
		for (const code of ['ZZZZZZZZ', '', '%', "' or 1=1 --", revoked.code, expired.code, once.code]) {
			for (const who of [cast.anon, cast.facilitator]) {
				const { data, error } = await preview(who, code);
				expect(error, code).toBeNull();
				expect(data, code).toEqual([]);
			}
		}
		await removeMember(cast.facilitator, comer, spaceId);
	});
});

// An invite link opened again (issue 22): members land in their space, and
// anyone else learns which of cancelled, expired or used up stops the code,
// but never the space's id, nor its name unless the code still works.
describe('invite_state()', () => {
	const state = (who: Person | typeof cast.anon, code: string) =>
		who.client.rpc('invite_state', { p_code: code });
	const unusableCodes = async () => {
		const cancelled = await createInvite(cast.facilitator, spaceId, 'member');
		await cast.facilitator.client
			.from('space_invites')
			.update({ revoked_at: new Date().toISOString() })
			.eq('code', cancelled.code);
		const expired = await createInvite(cast.facilitator, spaceId, 'member', {
			expires_at: new Date(Date.now() - 60_000).toISOString()
		});
		const usedUp = await createInvite(cast.facilitator, spaceId, 'member', { max_uses: 1 });
		const comer = await signedInUser(stack, 'Used it up');
		expect((await redeem(comer, usedUp.code)).error).toBeNull();
		return { cancelled: cancelled.code, expired: expired.code, used_up: usedUp.code };
	};

	it('sends every member to their space, with any of its codes, usable or not', async () => {
		const [space] = await stack.sql<{ name: string; kind: string }>(
			'select name, kind::text as kind from public.spaces where id = $1',
			[spaceId]
		);
		const usable = await createInvite(cast.facilitator, spaceId, 'member');
		const codes = [usable.code, ...Object.values(await unusableCodes())];
		for (const who of membersOf(cast)) {
			for (const code of codes) {
				const { data, error } = await state(who, code.toLowerCase());
				expect(error).toBeNull();
				expect(data, `${who.email} ${code}`).toEqual([
					{ state: 'member', space_id: spaceId, name: space.name, kind: space.kind }
				]);
			}
		}
		expect((await inviteByCode(usable.code)).uses).toBe(0); // looking is not joining
	});

	it('tells anon, outsiders and removed members a usable code’s space name, never its id', async () => {
		const [space] = await stack.sql<{ name: string; kind: string }>(
			'select name, kind::text as kind from public.spaces where id = $1',
			[spaceId]
		);
		const usable = await createInvite(cast.facilitator, spaceId, 'leader', { max_uses: 3 });
		for (const who of [cast.anon, cast.outsider, cast.removed]) {
			const { data, error } = await state(who, usable.code);
			expect(error).toBeNull();
			expect(data).toEqual([{ state: 'usable', space_id: null, name: space.name, kind: space.kind }]);
		}
	});

	it('says which of cancelled, expired or used up, with nothing about the space; nothing for unknown codes', async () => {
		const codes = await unusableCodes();
		for (const [who, name] of [
			[cast.anon, 'anon'],
			[cast.outsider, 'outsider'],
			[cast.removed, 'removed member']
		] as const) {
			for (const [word, code] of Object.entries(codes)) {
				const { data, error } = await state(who, code);
				expect(error).toBeNull();
				expect(data, `${word} for ${name}`).toEqual([
					{ state: word, space_id: null, name: null, kind: null }
				]);
			}
			for (const code of ['ZZZZZZZZ', '', '%', "' or 1=1 --"]) {
				expect((await state(who, code)).data, code).toEqual([]);
			}
		}
	});
});
