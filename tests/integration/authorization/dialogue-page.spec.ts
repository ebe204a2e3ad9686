// The dialogue page in one call (issue 24, part 4): open_dialogue() runs as the
// caller, so it must give each person exactly what the separate queries the
// page used to send give them (dialogueOverview, dialogueDetail, listActions,
// mutedIds, my_posting_limits): a facilitator (who sees who wrote an anonymous
// post), a member, a guest muted in the space and a guest of another dialogue;
// and nothing, with no read marker, to an outsider, a removed member, a removed
// guest and a guest of dialogue B asking for dialogue A; anon is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser, startTestStack, type Person, type TestStack } from '../helpers/stack';
import { newId } from '../helpers/spaces';
import { signUpCast, spaceWithCast, strangersOf, type Cast } from '../helpers/cast';
import { conveneDialogue, inviteGuest } from '../helpers/dialogues';
import { dialogueDetail, dialogueOverview, listActions, openDialogue } from '$lib/dialogues/queries';
import { mutedIds } from '$lib/moderation/queries';
import { instants } from '../helpers/instants';

let stack: TestStack;
let cast: Cast;
let spaceId: string;
let dialogueA: string;
let dialogueB: string;
let landlord: Person;
let bGuest: Person;
let gone: Person;

const sorted = (ids: string[]) => [...ids].sort();

/** What the page's load assembled from its separate calls before open_dialogue(). */
async function separately(who: Person, dialogueId: string) {
	const overview = await dialogueOverview(who.client, dialogueId);
	const detail = await dialogueDetail(who.client, dialogueId, who.id);
	if (!overview || !detail) return null;
	const limits = overview.can_post
		? null
		: ((await who.client.rpc('my_posting_limits', { p_space: overview.space_id })).data as {
				muted_until: string | null;
			});
	return {
		overview,
		mutedUntil: limits?.muted_until ?? null,
		...detail,
		actions: await listActions(who.client, null, {
			status: null,
			organisation: null,
			overdue: false,
			dialogueId
		}),
		muted: sorted(await mutedIds(who.client))
	};
}

async function inOneCall(who: Person, dialogueId: string) {
	const opened = await openDialogue(who.client, dialogueId, false);
	if (!opened) return null;
	return {
		overview: opened.overview,
		mutedUntil: opened.mutedUntil,
		...opened.detail(who.id),
		actions: opened.actions,
		muted: sorted(opened.muted)
	};
}

const marker = async (dialogueId: string, userId: string) =>
	(
		await stack.sql<{ at: string }>(
			'select last_read_at::text as at from public.thread_reads where thread_id = $1 and user_id = $2',
			[dialogueId, userId]
		)
	)[0]?.at ?? null;

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack, ' Dialogue Page');
	spaceId = await spaceWithCast(cast);
	[landlord, bGuest, gone] = await Promise.all([
		signedInUser(stack, 'Bình Chủ Trọ'),
		signedInUser(stack, 'Bê Khách'),
		signedInUser(stack, 'Go Gone')
	]);
	dialogueA = await conveneDialogue(cast.leader, spaceId);
	dialogueB = await conveneDialogue(cast.facilitator, spaceId, { title: 'Đối thoại với công ty' });
	await inviteGuest(cast.leader, landlord, dialogueA);
	await inviteGuest(cast.leader, gone, dialogueA, { type: 'other', organisation: 'Ai đó' });
	await inviteGuest(cast.facilitator, bGuest, dialogueB, { type: 'company', organisation: 'Công ty May' });
	expect(
		(await cast.leader.client.from('dialogues').update({ status: 'open' }).eq('id', dialogueA).select('id'))
			.data
	).toHaveLength(1);
	const posted = await Promise.all([
		cast.member.client.rpc('post_anonymously', {
			p_id: newId(),
			p_dialogue: dialogueA,
			p_body: 'Khóa cổng lúc 22 giờ, ca đêm về không vào được.'
		}),
		landlord.client
			.from('posts')
			.insert({ id: newId(), thread_id: dialogueA, space_id: spaceId, body: 'Mở cổng đến 23 giờ.' }),
		gone.client
			.from('posts')
			.insert({ id: newId(), thread_id: dialogueA, space_id: spaceId, body: 'Tôi sẽ đi sớm.' })
	]);
	for (const { error } of posted) expect(error).toBeNull();
	const agreed = await cast.leader.client.rpc('agree_action', {
		p_id: newId(),
		p_dialogue: dialogueA,
		p_description: 'Mở cổng khu trọ đến 23 giờ',
		p_owner_kind: 'guest',
		p_owner_user: landlord.id
	});
	expect(agreed.error).toBeNull();
	const named = await cast.deputy.client
		.from('dialogue_named_members')
		.insert({ dialogue_id: dialogueA, user_id: cast.deputy.id });
	expect(named.error).toBeNull();
	// People each of them muted for themselves, and the landlord muted in the space by its moderators.
	for (const [who, other] of [
		[cast.member, landlord],
		[landlord, cast.deputy] // a guest sees members who chose to be named
	] as const) {
		const { error } = await who.client
			.from('person_filters')
			.insert({ user_id: who.id, other_id: other.id, kind: 'mute' });
		expect(error, who.email).toBeNull();
	}
	await stack.sql(
		`insert into public.space_mutes (space_id, user_id, until, muted_by) values ($1, $2, now() + interval '3 days', $3)`,
		[spaceId, landlord.id, cast.facilitator.id]
	);
	expect(
		(
			await cast.leader.client
				.from('dialogue_guests')
				.update({ removed_at: 'now' })
				.eq('dialogue_id', dialogueA)
				.eq('user_id', gone.id)
				.select('user_id')
		).data
	).toHaveLength(1);
}, 120_000);
afterAll(async () => {
	await stack?.stop();
});

describe('open_dialogue', () => {
	it('gives readers what the separate queries give them', async () => {
		for (const [who, dialogueId] of [
			[cast.facilitator, dialogueA],
			[cast.member, dialogueA],
			[landlord, dialogueA],
			[bGuest, dialogueB]
		] as const) {
			const before = await separately(who, dialogueId);
			expect(before, who.email).not.toBeNull();
			expect(instants(await inOneCall(who, dialogueId)), who.email).toEqual(instants(before));
		}
	});

	it('is not an empty comparison: the parts each reader is meant to see are there', async () => {
		const facilitator = (await inOneCall(cast.facilitator, dialogueA))!;
		expect(facilitator.posts).toHaveLength(4);
		expect(facilitator.posts.filter((p) => p.hiddenAuthor)).toEqual([
			expect.objectContaining({ hiddenAuthor: 'Me Member Dialogue Page' })
		]);
		expect(facilitator.agenda.map((a) => a.text)).toEqual(['Giá điện', 'Khóa cổng ban đêm']);
		expect(facilitator.guests.map((g) => [g.name, g.removed])).toEqual([
			['Bình Chủ Trọ', false],
			['Go Gone', true]
		]);
		expect(facilitator.actions.map((a) => a.owner_name)).toEqual(['Bình Chủ Trọ']);
		expect(facilitator.namedMemberIds).toEqual([cast.deputy.id]);
		const member = (await inOneCall(cast.member, dialogueA))!;
		expect(member.posts.filter((p) => p.mine)).toHaveLength(1);
		expect(member.posts.some((p) => p.hiddenAuthor)).toBe(false);
		expect(member.muted).toEqual([landlord.id]);
		expect(member.mutedUntil).toBeNull();
		const guest = (await inOneCall(landlord, dialogueA))!;
		expect(guest.overview.am_guest).toBe(true);
		expect(guest.overview.can_post).toBe(false);
		expect(guest.mutedUntil).not.toBeNull();
		expect(guest.muted).toEqual([cast.deputy.id]);
	});

	it('moves my read marker only when asked', async () => {
		const before = await marker(dialogueA, landlord.id);
		expect(
			(await landlord.client.rpc('open_dialogue', { p_dialogue: dialogueA, p_mark_read: false })).error
		).toBeNull();
		expect(await marker(dialogueA, landlord.id)).toBe(before);
		expect((await landlord.client.rpc('open_dialogue', { p_dialogue: dialogueA })).error).toBeNull();
		const after = await marker(dialogueA, landlord.id);
		expect(after).not.toBeNull();
		expect(after).not.toBe(before);
	});

	it('gives an outsider, a removed member, a removed guest and a guest of another dialogue nothing, and no read marker', async () => {
		for (const [who, dialogueId] of [
			...strangersOf(cast).map((who) => [who, dialogueA] as const),
			[gone, dialogueA],
			[bGuest, dialogueA],
			[landlord, dialogueB]
		] as const) {
			const before = await marker(dialogueId, who.id);
			const { data, error } = await who.client.rpc('open_dialogue', { p_dialogue: dialogueId });
			expect(error, who.email).toBeNull();
			expect(data, who.email).toBeNull();
			expect(await marker(dialogueId, who.id), who.email).toBe(before);
			// And the separate queries agree: nothing for them either.
			expect(await separately(who, dialogueId), who.email).toBeNull();
		}
	});

	it('refuses anon', async () => {
		const { data, error } = await cast.anon.client.rpc('open_dialogue', { p_dialogue: dialogueA });
		expect(error).not.toBeNull();
		expect(data).toBeNull();
	});

	it('gives nothing for no such dialogue, or a thread that is not a dialogue', async () => {
		expect(await openDialogue(cast.facilitator.client, newId(), false)).toBeNull();
		const threadId = newId();
		const started = await cast.member.client.rpc('start_thread', {
			p_space: spaceId,
			p_title: 'Không phải đối thoại',
			p_body: 'Mở đầu',
			p_topic: 'other',
			p_id: threadId
		});
		expect(started.error).toBeNull();
		expect(await openDialogue(cast.member.client, threadId, false)).toBeNull();
	});
});
