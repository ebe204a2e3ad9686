// The actions pages in one call (issue 24): open_actions() runs as the caller,
// so it must give each person exactly what the calls the pages used to send
// give them (my_spaces, my_dialogues, list_actions and the owners' names for
// the page of every action; space_for_member, list_actions and the names for a
// space's page), with and without a dialogue chosen: every role of a space, a
// guest of each of two dialogues, an outsider and a removed member; nothing of
// a space's page to strangers and guests; anon is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser, startTestStack, type Person, type TestStack } from '../helpers/stack';
import { createSpace, newId } from '../helpers/spaces';
import { membersOf, signUpCast, spaceWithCast, strangersOf, type Cast } from '../helpers/cast';
import { conveneDialogue, inviteGuest } from '../helpers/dialogues';
import { listActions, openActions } from '$lib/dialogues/queries';
import { instants } from '../helpers/instants';

let stack: TestStack;
let cast: Cast;
let spaceId: string;
let otherSpace: string;
let dialogueA: string;
let dialogueB: string;
let landlord: Person;
let company: Person;

/** What the pages' loads put together from their separate calls before open_actions(). */
async function separately(who: Person, space: string | null, dialogue: string | null) {
	const header = space ? (await who.client.rpc('space_for_member', { p_space: space })).data : null;
	if (space && !header) return null; // the space's layout answered 404
	const actions = await listActions(who.client, space, {
		status: null,
		organisation: null,
		overdue: false,
		dialogueId: dialogue
	});
	const spaces = space ? [] : ((await who.client.rpc('my_spaces')).data ?? []);
	const dialogues = space ? [] : ((await who.client.rpc('my_dialogues')).data ?? []);
	return instants({
		space: header,
		actions,
		spaceNames: Object.fromEntries(spaces.map((s) => [s.id, s.name])),
		clubOfDialogue: Object.fromEntries(dialogues.map((d) => [d.id, d.space_name]))
	});
}

const inOneCall = async (who: Person, space: string | null, dialogue: string | null) =>
	instants(await openActions(who.client, space, dialogue));

const agree = async (
	by: Person,
	dialogue: string,
	description: string,
	owner: Partial<Record<string, string>>
) => {
	const { error } = await by.client.rpc('agree_action', {
		p_id: newId(),
		p_dialogue: dialogue,
		p_description: description,
		p_owner_kind: owner.user ? 'guest' : 'organisation',
		...(owner.user ? { p_owner_user: owner.user } : { p_owner_organisation: owner.organisation })
	} as never);
	expect(error, description).toBeNull();
};

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack, ' Actions Page');
	spaceId = await spaceWithCast(cast);
	otherSpace = await createSpace(cast.leader, { name: 'CLB Phụ nữ Thủ Đức' });
	[landlord, company] = await Promise.all([
		signedInUser(stack, 'Bình Chủ Trọ'),
		signedInUser(stack, 'Công Ty May')
	]);
	dialogueA = await conveneDialogue(cast.leader, spaceId);
	dialogueB = await conveneDialogue(cast.leader, otherSpace, { title: 'Đối thoại với công ty' });
	await inviteGuest(cast.leader, landlord, dialogueA);
	await inviteGuest(cast.leader, company, dialogueB, { type: 'company', organisation: 'Công ty May' });
	for (const dialogue of [dialogueA, dialogueB]) {
		const opened = await cast.leader.client.from('dialogues').update({ status: 'open' }).eq('id', dialogue);
		expect(opened.error).toBeNull();
	}
	await agree(cast.leader, dialogueA, 'Mở cổng khu trọ đến 23 giờ', { user: landlord.id });
	await agree(cast.leader, dialogueA, 'Hội LHPN in tờ rơi', { organisation: 'Hội LHPN' });
	await agree(cast.leader, dialogueB, 'Công ty trả lương đúng hạn', { user: company.id });
}, 120_000);
afterAll(async () => {
	await stack?.stop();
});

describe('open_actions', () => {
	it('gives everyone what the separate calls give them, on both pages, with and without a dialogue chosen', async () => {
		for (const who of [...membersOf(cast), ...strangersOf(cast), landlord, company]) {
			for (const [space, dialogue] of [
				[null, null],
				[null, dialogueA],
				[null, dialogueB],
				[spaceId, null],
				[spaceId, dialogueA],
				[otherSpace, null]
			] as const) {
				expect(await inOneCall(who, space, dialogue), `${who.email} ${space} ${dialogue}`).toEqual(
					await separately(who, space, dialogue)
				);
			}
		}
	});

	it('is not an empty comparison: actions with their owners, space names and the clubs of a guest', async () => {
		const asLeader = (await openActions(cast.leader.client, null, null))!;
		expect(asLeader.actions.map((a) => [a.description, a.owner_name]).sort()).toEqual([
			['Công ty trả lương đúng hạn', 'Công Ty May'],
			['Hội LHPN in tờ rơi', ''],
			['Mở cổng khu trọ đến 23 giờ', 'Bình Chủ Trọ']
		]);
		expect(asLeader.spaceNames[otherSpace]).toBe('CLB Phụ nữ Thủ Đức');
		const asLandlord = (await openActions(landlord.client, null, null))!;
		expect(asLandlord.actions.map((a) => a.description).sort()).toEqual([
			'Hội LHPN in tờ rơi',
			'Mở cổng khu trọ đến 23 giờ'
		]);
		expect(asLandlord.spaceNames).toEqual({});
		expect(Object.keys(asLandlord.clubOfDialogue)).toEqual([dialogueA]);
		const inSpace = (await openActions(cast.member.client, spaceId, null))!;
		expect(inSpace.space?.id).toBe(spaceId);
		expect(inSpace.actions).toHaveLength(2);
		expect((await openActions(cast.leader.client, null, dialogueB))!.actions).toHaveLength(1);
	});

	it("gives strangers and guests nothing of a space's page, and refuses anon", async () => {
		for (const who of [...strangersOf(cast), landlord, company]) {
			expect(await openActions(who.client, spaceId, null), who.email).toBeNull();
		}
		expect(await openActions(cast.member.client, otherSpace, null)).toBeNull();
		expect((await openActions(cast.outsider.client, null, null))?.actions).toEqual([]);
		expect((await cast.anon.client.rpc('open_actions', {})).error).not.toBeNull();
	});
});
