// A meeting decision becomes an agreed action of one of the space's dialogues
// (issue 25), tried as leader, facilitator, deputy, member, a dialogue guest,
// an outsider and a removed member: once (a replay or requests at the same
// instant give one action), only by someone who may record agreed actions in
// that dialogue, never across spaces, and the link tells a guest nothing of
// the meeting. Everyone acts through supabase-js with their own session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser, startTestStack, type Person, type TestStack } from '../helpers/stack';
import { countRows, createSpace, invitePerson, newId } from '../helpers/spaces';
import { signUpCast, spaceWithCast, type Cast } from '../helpers/cast';
import { conveneDialogue, inviteGuest } from '../helpers/dialogues';

let stack: TestStack;
let cast: Cast;
let spaceId: string;
let otherSpace: string;
let meetingId: string;
let otherMeeting: string;
let dialogueId: string;
let otherDialogue: string;
let guest: Person;

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

async function plan(who: Person, space: string) {
	const id = newId();
	const { error } = await who.client.rpc('plan_meeting', {
		p_id: id,
		p_space: space,
		p_topic: 'Giá điện nước khu trọ',
		p_starts_at: inDays(3),
		p_duration_minutes: 90,
		p_venue: 'Nhà văn hoá',
		p_notice: 'Họp CLB',
		p_agenda: [] as never
	});
	expect(error).toBeNull();
	return id;
}

async function decide(who: Person, meeting: string, text = 'Chủ nhà giữ giá điện 3.500 đồng/số đến hết năm') {
	const id = newId();
	const { error } = await who.client
		.from('meeting_decisions')
		.insert({ id, meeting_id: meeting, text, created_by: who.id });
	expect(error).toBeNull();
	return id;
}

const toAction = (
	who: Person | { client: Person['client'] },
	decision: string,
	dialogue: string,
	owner: { kind?: 'club' | 'guest' | 'organisation'; user?: string; organisation?: string } = {}
) =>
	who.client.rpc('decision_to_action', {
		p_decision: decision,
		p_dialogue: dialogue,
		p_owner_kind: owner.kind ?? 'club',
		p_owner_user: owner.user,
		p_owner_organisation: owner.organisation,
		p_supporting: 'Nhóm trưởng',
		p_due_on: inDays(14).slice(0, 10)
	});

const actionsIn = (dialogue: string) =>
	countRows(stack, 'select 1 from public.dialogue_actions where dialogue_id = $1', [dialogue]);

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack);
	spaceId = await spaceWithCast(cast);
	guest = await signedInUser(stack, 'Chủ nhà Hòa Bình');
	meetingId = await plan(cast.leader, spaceId);
	dialogueId = await conveneDialogue(cast.leader, spaceId);
	await inviteGuest(cast.leader, guest, dialogueId, { organisation: 'Nhà trọ Hòa Bình' });
	// Another space where the same leader leads: only the space check can refuse her there.
	otherSpace = await createSpace(cast.facilitator);
	await invitePerson(cast.facilitator, cast.leader, otherSpace, 'leader');
	otherMeeting = await plan(cast.leader, otherSpace);
	otherDialogue = await conveneDialogue(cast.leader, otherSpace);
}, 120_000);

afterAll(() => stack?.stop());

describe('a decision becomes an agreed action of a dialogue', () => {
	it('the leader turns it into one action, owned by a guest, with its due date; the decision keeps the link', async () => {
		const decision = await decide(cast.leader, meetingId);
		const { data, error } = await toAction(cast.leader, decision, dialogueId, {
			kind: 'guest',
			user: guest.id
		});
		expect(error).toBeNull();
		expect(typeof data).toBe('string');
		const action = (
			await cast.leader.client
				.from('dialogue_actions')
				.select('*')
				.eq('id', data as string)
				.single()
		).data;
		expect(action).toMatchObject({
			dialogue_id: dialogueId,
			space_id: spaceId,
			description: 'Chủ nhà giữ giá điện 3.500 đồng/số đến hết năm',
			owner_kind: 'guest',
			owner_user_id: guest.id,
			due_on: inDays(14).slice(0, 10),
			created_by: cast.leader.id
		});
		const link = await cast.member.client
			.from('meeting_decisions')
			.select('action_id')
			.eq('id', decision)
			.single();
		expect(link.data?.action_id).toBe(data);
		// The responsible guest sees it among the dialogue's actions.
		const seen = await guest.client.from('dialogue_actions').select('id').eq('dialogue_id', dialogueId);
		expect(seen.data?.map((a) => a.id)).toContain(data);
	});

	it('a second conversion is refused with already_an_action and makes no second action', async () => {
		const decision = await decide(cast.leader, meetingId, 'Lắp đèn ở cổng sau');
		const before = await actionsIn(dialogueId);
		expect((await toAction(cast.leader, decision, dialogueId)).error).toBeNull();
		const again = await toAction(cast.facilitator, decision, dialogueId);
		expect(again.error?.message).toContain('already_an_action');
		expect(await actionsIn(dialogueId)).toBe(before + 1);
	});

	it('conversions sent at the same instant give one action', async () => {
		const decision = await decide(cast.leader, meetingId, 'Họp lại với chủ nhà sau 2 tuần');
		const before = await actionsIn(dialogueId);
		const results = await Promise.all([
			toAction(cast.leader, decision, dialogueId),
			toAction(cast.facilitator, decision, dialogueId),
			toAction(cast.leader, decision, dialogueId),
			toAction(cast.facilitator, decision, dialogueId)
		]);
		expect(results.filter((r) => r.error === null)).toHaveLength(1);
		for (const r of results.filter((r) => r.error)) expect(r.error?.message).toContain('already_an_action');
		expect(await actionsIn(dialogueId)).toBe(before + 1);
		expect(
			await countRows(
				stack,
				'select 1 from public.meeting_decisions where id = $1 and action_id is not null',
				[decision]
			)
		).toBe(1);
	});

	it('a deputy (runs meetings, records no agreed actions), a member, a guest, an outsider, a removed member and anon are refused', async () => {
		const decision = await decide(cast.deputy, meetingId, 'Góp quỹ sửa mái che');
		const before = await actionsIn(dialogueId);
		for (const who of [cast.deputy, cast.member, guest, cast.outsider, cast.removed]) {
			expect((await toAction(who, decision, dialogueId)).error?.message).toContain('not_allowed');
		}
		expect((await toAction(cast.anon, decision, dialogueId)).error).not.toBeNull();
		expect(await actionsIn(dialogueId)).toBe(before);
		// The deputy may still record it as an agreed action nowhere else: the dialogue's own rule says the same.
		const direct = await cast.deputy.client.rpc('agree_action', {
			p_id: newId(),
			p_dialogue: dialogueId,
			p_description: 'x',
			p_owner_kind: 'club'
		});
		expect(direct.error?.message).toContain('not_allowed');
	});

	it("a decision of another space's meeting cannot go into this space's dialogue, nor the other way", async () => {
		const here = await decide(cast.leader, meetingId, 'Quyết định ở CLB này');
		const there = await decide(cast.leader, otherMeeting, 'Quyết định ở CLB khác');
		const [beforeHere, beforeThere] = [await actionsIn(dialogueId), await actionsIn(otherDialogue)];
		expect((await toAction(cast.leader, there, dialogueId)).error?.message).toContain('not_allowed');
		expect((await toAction(cast.leader, here, otherDialogue)).error?.message).toContain('not_allowed');
		expect(await actionsIn(dialogueId)).toBe(beforeHere);
		expect(await actionsIn(otherDialogue)).toBe(beforeThere);
		// Each into its own space's dialogue is fine.
		expect((await toAction(cast.leader, there, otherDialogue)).error).toBeNull();
	});

	it("an owner who is not the dialogue's guest, or a due date in the past, is refused as the dialogue's form refuses it", async () => {
		const decision = await decide(cast.leader, meetingId, 'Mời cán bộ phường');
		expect(
			(await toAction(cast.leader, decision, dialogueId, { kind: 'guest', user: cast.member.id })).error
				?.message
		).toContain('owner_not_a_guest');
		const past = await cast.leader.client.rpc('decision_to_action', {
			p_decision: decision,
			p_dialogue: dialogueId,
			p_owner_kind: 'club',
			p_due_on: '2020-01-01'
		});
		expect(past.error?.message).toContain('due_in_past');
		expect(
			await countRows(stack, 'select 1 from public.meeting_decisions where id = $1 and action_id is null', [
				decision
			])
		).toBe(1);
	});

	it('a concluded dialogue takes no new action (dialogue_not_open)', async () => {
		const closed = await conveneDialogue(cast.leader, spaceId, { title: 'Đối thoại đã xong' });
		await stack.sql("update public.dialogues set status = 'concluded' where id = $1", [closed]);
		const decision = await decide(cast.leader, meetingId, 'Việc cho đối thoại đã xong');
		expect((await toAction(cast.leader, decision, closed)).error?.message).toContain('dialogue_not_open');
	});

	it('nobody writes the link through the API: not on a new decision, not on an old one', async () => {
		const decision = await decide(cast.leader, meetingId, 'Một quyết định');
		// An action of the other space's dialogue, made here so that this test stands alone.
		const elsewhere = await decide(cast.leader, otherMeeting, 'Việc của CLB khác');
		const made = await toAction(cast.leader, elsewhere, otherDialogue);
		expect(made.error).toBeNull();
		const someAction = made.data as string;
		const update = await cast.leader.client
			.from('meeting_decisions')
			.update({ action_id: someAction })
			.eq('id', decision);
		expect(update.error?.message).toContain('not_allowed');
		const insert = await cast.leader.client.from('meeting_decisions').insert({
			id: newId(),
			meeting_id: meetingId,
			text: 'Giả mạo',
			created_by: cast.leader.id,
			action_id: someAction
		});
		expect(insert.error?.message).toContain('not_allowed');
		expect(
			await countRows(stack, 'select 1 from public.meeting_decisions where action_id = $1', [someAction])
		).toBe(1);
	});

	it('a dialogue guest reads the action but, through the link, nothing of the meeting', async () => {
		const linked = await stack.sql<{ id: string; action_id: string }>(
			'select id, action_id from public.meeting_decisions where meeting_id = $1 and action_id is not null',
			[meetingId]
		);
		expect(linked.length).toBeGreaterThan(0);
		for (const { action_id } of linked) {
			expect(
				(await guest.client.from('dialogue_actions').select('id').eq('id', action_id)).data
			).toHaveLength(1);
			const back = await guest.client.from('meeting_decisions').select('*').eq('action_id', action_id);
			expect(back.data ?? []).toHaveLength(0);
		}
		expect((await guest.client.from('meetings').select('id').eq('id', meetingId)).data ?? []).toHaveLength(0);
		expect((await guest.client.from('meeting_decisions').select('id')).data ?? []).toHaveLength(0);
		for (const who of [cast.outsider, cast.removed]) {
			expect(
				(await who.client.from('meeting_decisions').select('id').eq('meeting_id', meetingId)).data ?? []
			).toHaveLength(0);
		}
	});
});
