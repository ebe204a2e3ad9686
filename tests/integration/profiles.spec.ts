// Profiles and their private part, through supabase-js and real RLS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, signedInUser, startTestStack, type TestStack } from './helpers/stack';
import { constraintName, refusalKind } from '../../src/lib/supabase/errors';

let stack: TestStack;
beforeAll(async () => {
	stack = await startTestStack();
});
afterAll(async () => {
	await stack?.stop();
});

describe('profiles', () => {
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

	it('private fields (phone) are readable and writable by their owner only', async () => {
		const owner = await signedInUser(stack, 'Owner');
		const other = await signedInUser(stack, 'Other');
		const saved = await owner.client
			.from('profile_private')
			.update({ phone: '+84 912 345 678' })
			.eq('id', owner.id)
			.select('phone');
		expect(saved.data).toEqual([{ phone: '+84 912 345 678' }]);

		const peek = await other.client.from('profile_private').select('phone').eq('id', owner.id);
		expect(peek.data).toEqual([]);
		const tamper = await other.client
			.from('profile_private')
			.update({ phone: '+1 555 0000' })
			.eq('id', owner.id)
			.select();
		expect(tamper.data).toEqual([]);
		const asOwner = await owner.client.from('profile_private').select('phone').eq('id', owner.id).single();
		expect(asOwner.data?.phone).toBe('+84 912 345 678');
	});

	it('another person cannot change my public profile, insert a profile or delete one', async () => {
		const owner = await signedInUser(stack, 'Owner');
		const other = await signedInUser(stack, 'Other');
		const update = await other.client
			.from('profiles')
			.update({ display_name: 'Hacked' })
			.eq('id', owner.id)
			.select();
		expect(update.data).toEqual([]);
		const remove = await other.client.from('profiles').delete().eq('id', owner.id).select();
		expect(remove.error ?? remove.data).toBeTruthy();
		const insert = await other.client
			.from('profiles')
			.insert({ id: crypto.randomUUID(), display_name: 'Ghost' });
		expect(insert.error).not.toBeNull();
		const check = await owner.client.from('profiles').select('display_name').eq('id', owner.id).single();
		expect(check.data?.display_name).toBe('Owner');
	});

	it('anonymous visitors read nothing', async () => {
		await signedInUser(stack, 'Someone');
		const anon = anonClient(stack);
		const profiles = await anon.from('profiles').select('*');
		expect(profiles.data ?? []).toEqual([]);
		const privateRows = await anon.from('profile_private').select('*');
		expect(privateRows.data ?? []).toEqual([]);
	});

	it('schema limits hold: a 200-character name and a malformed phone are refused', async () => {
		const me = await signedInUser(stack, 'Limits');
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
