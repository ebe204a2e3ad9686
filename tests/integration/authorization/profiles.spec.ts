// Profiles and their private part: who reads and who writes them, as every
// role of a space, an outsider, a removed member and anon, through supabase-js
// against real RLS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser, startTestStack, type TestStack } from '../helpers/stack';
import { createInvite, refusedOrNoRows } from '../helpers/spaces';
import { membersOf, signUpCast, spaceWithCast, type Cast } from '../helpers/cast';
import { constraintName, refusalKind } from '$lib/supabase/errors';

let stack: TestStack;
let cast: Cast;
let spaceId: string;

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack);
	spaceId = await spaceWithCast(cast);
});
afterAll(async () => {
	await stack?.stop();
});

describe('profiles: created by the database', () => {
	it('are created at sign-up from the sign-up metadata', async () => {
		const me = await signedInUser(stack, 'Hoa');
		const { data, error } = await me.client
			.from('profiles')
			.select('display_name, preferred_language')
			.eq('id', me.id)
			.single();
		expect(error).toBeNull();
		expect(data).toEqual({ display_name: 'Hoa', preferred_language: 'en' });
	});
});

describe('profiles: reading', () => {
	it('members of every role read the profiles of everyone in their space', async () => {
		const everyone = membersOf(cast);
		for (const who of everyone) {
			const { data } = await who.client
				.from('profiles')
				.select('display_name')
				.in(
					'id',
					everyone.map((p) => p.id)
				);
			expect((data ?? []).map((p) => p.display_name).sort()).toEqual([
				'De Deputy',
				'Fa Facilitator',
				'Le Leader',
				'Me Member'
			]);
		}
	});

	it('a person who shares no space with someone cannot read their profile; anon reads none', async () => {
		for (const [who, target] of [
			[cast.outsider, cast.member],
			[cast.member, cast.outsider],
			[cast.removed, cast.member],
			[cast.member, cast.removed]
		] as const) {
			const { data } = await who.client.from('profiles').select('display_name').eq('id', target.id);
			expect(data).toEqual([]);
		}
		const everyone = (await cast.outsider.client.from('profiles').select('id')).data ?? [];
		expect(everyone.map((p) => p.id)).toEqual([cast.outsider.id]);
		expect((await cast.anon.client.from('profiles').select('id')).data ?? []).toEqual([]);
	});

	it('sharing a space is what opens a profile, and leaving closes it again', async () => {
		const newcomer = await signedInUser(stack, 'Newcomer Ngọc');
		const peek = () => cast.member.client.from('profiles').select('display_name').eq('id', newcomer.id);
		expect((await peek()).data).toEqual([]);
		const invite = await createInvite(cast.facilitator, spaceId, 'member');
		expect((await newcomer.client.rpc('redeem_invite', { p_code: invite.code })).error).toBeNull();
		expect((await peek()).data).toEqual([{ display_name: 'Newcomer Ngọc' }]);
		const left = await newcomer.client
			.from('space_members')
			.delete()
			.eq('space_id', spaceId)
			.eq('user_id', newcomer.id)
			.select('user_id');
		expect(left.data).toHaveLength(1);
		expect((await peek()).data).toEqual([]);
		expect((await newcomer.client.from('profiles').select('id').eq('id', cast.member.id)).data).toEqual([]);
	});
});

describe('profiles: writing', () => {
	it('people edit their own profile; nobody changes another’s, even in the same space', async () => {
		const own = await cast.member.client
			.from('profiles')
			.update({ organisation: 'CLB Bình Dương' })
			.eq('id', cast.member.id)
			.select('organisation');
		expect(own.data).toEqual([{ organisation: 'CLB Bình Dương' }]);
		for (const who of [cast.facilitator, cast.outsider, cast.removed]) {
			const res = await who.client
				.from('profiles')
				.update({ display_name: 'Renamed' })
				.eq('id', cast.member.id)
				.select();
			expect(res.error ?? res.data).toEqual([]);
		}
		const anon = await cast.anon.client
			.from('profiles')
			.update({ display_name: 'Renamed' })
			.eq('id', cast.member.id)
			.select();
		expect(anon.data ?? []).toEqual([]);
		const [row] = await stack.sql<{ display_name: string }>(
			'select display_name from public.profiles where id = $1',
			[cast.member.id]
		);
		expect(row.display_name).toBe('Me Member');
	});

	it('nobody inserts or deletes a profile, their own included', async () => {
		const insert = await cast.outsider.client
			.from('profiles')
			.insert({ id: crypto.randomUUID(), display_name: 'Ghost' });
		expect(insert.error).not.toBeNull();
		for (const [who, target] of [
			[cast.member, cast.member],
			[cast.facilitator, cast.member],
			[cast.outsider, cast.member]
		] as const) {
			const res = await who.client.from('profiles').delete().eq('id', target.id).select();
			expect(refusedOrNoRows(res)).toBe(true);
			const privateRes = await who.client.from('profile_private').delete().eq('id', target.id).select();
			expect(refusedOrNoRows(privateRes)).toBe(true);
		}
		expect(
			await stack.sql('select id from public.profiles where id = $1 or display_name = $2', [
				cast.member.id,
				'Ghost'
			])
		).toEqual([{ id: cast.member.id }]);
		expect(await stack.sql('select id from public.profile_private where id = $1', [cast.member.id])).toEqual([
			{ id: cast.member.id }
		]);
	});

	it('private fields (phone) are readable and writable by their owner only, not even by a fellow member', async () => {
		const owner = cast.member;
		const saved = await owner.client
			.from('profile_private')
			.update({ phone: '+84 912 345 678' })
			.eq('id', owner.id)
			.select('phone');
		expect(saved.data).toEqual([{ phone: '+84 912 345 678' }]);

		for (const other of [cast.facilitator, cast.outsider]) {
			const peek = await other.client.from('profile_private').select('phone').eq('id', owner.id);
			expect(peek.data).toEqual([]);
			const tamper = await other.client
				.from('profile_private')
				.update({ phone: '+1 555 0000' })
				.eq('id', owner.id)
				.select();
			expect(tamper.data).toEqual([]);
		}
		expect((await cast.anon.client.from('profile_private').select('*')).data ?? []).toEqual([]);
		const asOwner = await owner.client.from('profile_private').select('phone').eq('id', owner.id).single();
		expect(asOwner.data?.phone).toBe('+84 912 345 678');
	});

	it('schema limits hold: a 200-character name and a malformed phone are refused', async () => {
		const me = cast.outsider;
		const longName = await me.client
			.from('profiles')
			.update({ display_name: 'x'.repeat(200) })
			.eq('id', me.id);
		expect(refusalKind(longName.error)).toBe('check');
		expect(constraintName(longName.error)).toBe('profiles_display_name_check');
		const badPhone = await me.client
			.from('profile_private')
			.update({ phone: 'call me maybe' })
			.eq('id', me.id);
		expect(refusalKind(badPhone.error)).toBe('check');
	});
});

describe('save_profile()', () => {
	it('saves the public fields and the private phone together, as me', async () => {
		const saved = await cast.deputy.client.rpc('save_profile', {
			p_display_name: 'De Deputy',
			p_organisation: 'CLB Khai Quang',
			p_phone: '+84 912 345 678',
			p_preferred_language: 'vi'
		});
		expect(saved.error).toBeNull();
		const [row] = await stack.sql<{ organisation: string; phone: string; preferred_language: string }>(
			`select p.organisation, x.phone, p.preferred_language::text from public.profiles p
			 join public.profile_private x on x.id = p.id where p.id = $1`,
			[cast.deputy.id]
		);
		expect(row).toEqual({
			organisation: 'CLB Khai Quang',
			phone: '+84 912 345 678',
			preferred_language: 'vi'
		});
	});

	it('changes nothing when one part is refused (a bad phone leaves the name as it was)', async () => {
		const refused = await cast.deputy.client.rpc('save_profile', {
			p_display_name: 'Someone else',
			p_organisation: '',
			p_phone: 'call me maybe',
			p_preferred_language: 'km'
		});
		expect(refusalKind(refused.error)).toBe('check');
		const [row] = await stack.sql<{ display_name: string; organisation: string | null }>(
			'select display_name, organisation from public.profiles where id = $1',
			[cast.deputy.id]
		);
		expect(row).toEqual({ display_name: 'De Deputy', organisation: 'CLB Khai Quang' });
	});

	it('refuses names made of invisible characters or carrying bidi controls, and anon', async () => {
		for (const name of ['\u200b\u200c', 'Mai \u202egnaoH']) {
			const { error } = await cast.member.client.rpc('save_profile', {
				p_display_name: name,
				p_organisation: '',
				p_phone: '',
				p_preferred_language: 'vi'
			});
			expect(refusalKind(error), JSON.stringify(name)).toBe('check');
		}
		const anon = await cast.anon.client.rpc('save_profile', {
			p_display_name: 'Anon',
			p_organisation: '',
			p_phone: '',
			p_preferred_language: 'en'
		});
		expect(anon.error).not.toBeNull();
	});
});
