// The "my spaces" page in one call (issue 24): open_my_spaces() runs as the
// caller, so it must give each person exactly what the four calls the page used
// to send give them (my_spaces, my_dialogues, programme_standing, and the count
// of moderation notices not seen yet): every role of a space, a guest of a
// dialogue (in no space), an outsider and a removed member; anon is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser, startTestStack, type Person, type TestStack } from '../helpers/stack';
import { membersOf, signUpCast, spaceWithCast, strangersOf, type Cast } from '../helpers/cast';
import { conveneDialogue, inviteGuest } from '../helpers/dialogues';

let stack: TestStack;
let cast: Cast;
let guest: Person;
let spaceId: string;

/**
 * Times as instants: lite sends a set-returning function's timestamps in
 * Postgres's text form ("2026-12-06 14:28:14.769+00"), JSON built in the
 * database has them in ISO form (as hosted PostgREST sends both).
 */
const instants = (value: unknown): unknown =>
	Array.isArray(value)
		? value.map(instants)
		: value && typeof value === 'object'
			? Object.fromEntries(
					Object.entries(value).map(([key, field]) => [
						key,
						key.endsWith('_at') && typeof field === 'string' ? new Date(field).getTime() : instants(field)
					])
				)
			: value;

/** What the page's load put together from its separate calls before open_my_spaces(). */
async function separately(who: Person) {
	const notices = await who.client
		.from('moderation_notices')
		.select('id', { count: 'exact', head: true })
		.is('seen_at', null);
	return {
		spaces: (await who.client.rpc('my_spaces')).data,
		dialogues: (await who.client.rpc('my_dialogues')).data,
		programme: (await who.client.rpc('programme_standing')).data,
		unseen_notices: notices.count
	};
}

async function inOneCall(who: Person) {
	const { data, error } = await who.client.rpc('open_my_spaces');
	expect(error, who.email).toBeNull();
	return data;
}

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack, ' My Spaces');
	guest = await signedInUser(stack, 'Gu Guest My Spaces');
	spaceId = await spaceWithCast(cast);
	const dialogue = await conveneDialogue(cast.facilitator, spaceId);
	await inviteGuest(cast.facilitator, guest, dialogue);
	// Two notices to the member from the space's moderators, one of them seen already.
	await stack.sql(
		`insert into public.moderation_notices (user_id, space_id, post_outcome, warned, reason, seen_at)
		 values ($1, $2, 'none', true, 'Xin giữ lời lẽ lịch sự', null),
		        ($1, $2, 'none', true, 'Nhắc lần trước', now())`,
		[cast.member.id, spaceId]
	);
}, 120_000);
afterAll(async () => {
	await stack?.stop();
});

describe('open_my_spaces', () => {
	it('gives everyone what the separate calls give them', async () => {
		for (const who of [...membersOf(cast), guest, ...strangersOf(cast)]) {
			expect(instants(await inOneCall(who)), who.email).toEqual(instants(await separately(who)));
		}
	});

	it('is not an empty comparison: a member sees her space and her unseen notice, a guest the dialogue', async () => {
		const member = (await inOneCall(cast.member)) as { spaces: { id: string }[]; unseen_notices: number };
		expect(member.spaces.map((s) => s.id)).toContain(spaceId);
		expect(member.unseen_notices).toBe(1);
		const leader = (await inOneCall(cast.leader)) as { unseen_notices: number };
		expect(leader.unseen_notices).toBe(0);
		const visitor = (await inOneCall(guest)) as { spaces: unknown[]; dialogues: { title: string }[] };
		expect(visitor.spaces).toEqual([]);
		expect(visitor.dialogues.map((d) => d.title)).toEqual(['Đối thoại với chủ nhà trọ']);
		const removed = (await inOneCall(cast.removed)) as { spaces: { id: string }[] };
		expect(removed.spaces.map((s) => s.id)).not.toContain(spaceId);
	});

	it('refuses anon', async () => {
		expect((await cast.anon.client.rpc('open_my_spaces')).error).not.toBeNull();
	});
});
