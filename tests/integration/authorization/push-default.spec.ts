// Notifications on by default (issue 22, part 4): turning them on follows
// everything the person is in; joining a space or a dialogue while they are
// on follows it; nobody can make someone else follow anything.
import { createECDH, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser, startTestStack, type Person, type TestStack } from '../helpers/stack';
import { createSpace, invitePerson, signUpCast, type Cast } from '../helpers/spaces';
import { conveneDialogue, inviteGuest } from '../helpers/dialogues';

let stack: TestStack;
let cast: Cast;

function phone(who: Person) {
	const ecdh = createECDH('prime256v1');
	ecdh.generateKeys();
	return who.client.rpc('save_push_subscription', {
		p_endpoint: `https://fcm.googleapis.com/fcm/send/${randomBytes(12).toString('hex')}`,
		p_p256dh: ecdh.getPublicKey().toString('base64url'),
		p_auth: randomBytes(16).toString('base64url')
	});
}

const followed = async (who: Person) =>
	((await who.client.from('push_spaces').select('space_id')).data ?? []).map((r) => r.space_id).sort();

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack);
});
afterAll(async () => {
	await stack?.stop();
});

describe('notifications on by default', () => {
	it('turning them on follows every space and dialogue she is in, once; then she narrows it', async () => {
		const club = await createSpace(cast.facilitator, { name: 'CLB Phụ nữ' });
		const cop = await createSpace(cast.facilitator, { name: 'CoP-Women' });
		const elsewhere = await createSpace(cast.leader, { name: 'Nhóm khác' });
		await invitePerson(cast.facilitator, cast.member, club);
		await invitePerson(cast.facilitator, cast.member, cop);
		const dialogue = await conveneDialogue(cast.leader, elsewhere);
		await inviteGuest(cast.leader, cast.member, dialogue);

		expect((await phone(cast.member)).error).toBeNull();
		const first = await cast.member.client.rpc('follow_everything');
		expect(first).toMatchObject({ error: null, data: 3 });
		expect(await followed(cast.member)).toEqual([club, cop, elsewhere].sort());
		// She narrows it; turning notifications on again (another phone) does not undo that.
		expect((await cast.member.client.from('push_spaces').delete().eq('space_id', cop)).error).toBeNull();
		expect((await phone(cast.member)).error).toBeNull();
		expect((await cast.member.client.rpc('follow_everything')).data).toBe(0);
		expect(await followed(cast.member)).toEqual([club, elsewhere].sort());
	});

	it('joining a space or a dialogue while they are on follows it; with them off, nothing is followed', async () => {
		const withPhone = await signedInUser(stack, 'Có điện thoại');
		const withoutPhone = await signedInUser(stack, 'Không bật');
		expect((await phone(withPhone)).error).toBeNull();
		const space = await createSpace(cast.facilitator, { name: 'Nhóm mới' });
		await invitePerson(cast.facilitator, withPhone, space);
		await invitePerson(cast.facilitator, withoutPhone, space);
		expect(await followed(withPhone)).toEqual([space]);
		expect(await followed(withoutPhone)).toEqual([]);
		const other = await createSpace(cast.leader, { name: 'Nhóm đối thoại' });
		const dialogue = await conveneDialogue(cast.leader, other);
		await inviteGuest(cast.leader, withPhone, dialogue);
		expect(await followed(withPhone)).toEqual([space, other].sort());
	});

	it('nobody can make anyone follow through these: anon is refused, the trigger is no RPC', async () => {
		expect((await cast.anon.client.rpc('follow_everything')).error).not.toBeNull();
		expect((await cast.outsider.client.rpc('follow_everything')).data).toBe(0);
		const trigger = await cast.member.client.rpc('follow_when_joining' as never);
		expect(trigger.error).not.toBeNull();
	});
});
