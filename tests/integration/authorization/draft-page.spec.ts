// A draft's pages in one call (issue 24): open_draft_page() runs as the caller,
// so it must give each person exactly what the calls the pages used to send
// give them (space_for_member for the space's layout, the draft's reading
// fields, and for the reading page its comments with the names of their
// authors and resolvers): every role of a space, with and without comments;
// nothing to an outsider, a removed member and a dialogue guest of the space;
// no draft of another space; anon is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser, startTestStack, type Person, type TestStack } from '../helpers/stack';
import { createSpace, newId } from '../helpers/spaces';
import { membersOf, signUpCast, spaceWithCast, strangersOf, type Cast } from '../helpers/cast';
import { conveneDialogue, inviteGuest } from '../helpers/dialogues';
import { createDraft } from '../drafts/helpers';
import { draftForReading, openDraftPage } from '$lib/drafts/queries';
import { instants } from '../helpers/instants';

let stack: TestStack;
let cast: Cast;
let spaceId: string;
let draftId: string;
let elsewhere: string;
let guest: Person;

/** What the pages' loads put together from their separate calls before open_draft_page(). */
async function separately(who: Person, space: string, draft: string, withComments: boolean) {
	const header = (await who.client.rpc('space_for_member', { p_space: space })).data;
	if (!header) return null; // the space's layout answered 404
	const found = await draftForReading(who.client, draft);
	const shown = found && found.space_id === space ? found : null;
	let comments: unknown[] = [];
	if (withComments && shown) {
		const { data } = await who.client
			.from('draft_comments')
			.select('id, section_id, parent_id, body, created_by, created_at, resolved_at, resolved_by')
			.eq('draft_id', draft)
			.order('created_at')
			.limit(1000);
		const rows = data ?? [];
		const ids = [...new Set(rows.flatMap((r) => [r.created_by, r.resolved_by]).filter((id) => !!id))];
		const { data: people } = await who.client
			.from('profiles')
			.select('id, display_name')
			.in('id', ids as string[]);
		const names = new Map((people ?? []).map((p) => [p.id, p.display_name]));
		const named = rows.map((r) => ({
			...r,
			author: names.get(r.created_by ?? '') ?? '',
			resolver: r.resolved_by ? (names.get(r.resolved_by) ?? '') : null
		}));
		comments = named
			.filter((r) => !r.parent_id)
			.map((r) => ({ ...r, replies: named.filter((reply) => reply.parent_id === r.id) }));
	}
	return instants({ space: header, draft: shown, comments });
}

const inOneCall = async (who: Person, space: string, draft: string, withComments: boolean) =>
	instants(await openDraftPage(who.client, space, draft, withComments));

const commentOn = async (who: Person, body: string, parentId: string | null = null) => {
	const id = newId();
	const { error } = await who.client.from('draft_comments').insert({
		id,
		draft_id: draftId,
		section_id: 'background',
		parent_id: parentId,
		body,
		created_by: who.id
	});
	expect(error, body).toBeNull();
	return id;
};

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack, ' Draft Page');
	guest = await signedInUser(stack, 'Khách Đối Thoại');
	spaceId = await spaceWithCast(cast, async (space) => {
		draftId = await createDraft(cast.member, space);
	});
	const dialogue = await conveneDialogue(cast.facilitator, spaceId);
	await inviteGuest(cast.facilitator, guest, dialogue);
	const otherSpace = await createSpace(cast.leader, { name: 'CLB khác' });
	elsewhere = await createDraft(cast.leader, otherSpace, undefined, 'Kế hoạch của CLB khác');
	const asked = await commentOn(cast.leader, 'Thêm số liệu?');
	await commentOn(cast.member, 'Đã thêm số liệu năm 2025.', asked);
	const resolved = await cast.deputy.client
		.from('draft_comments')
		.update({ resolved_at: new Date().toISOString() })
		.eq('id', asked)
		.select('id');
	expect(resolved.data).toHaveLength(1);
	await commentOn(cast.deputy, 'Ngân sách đi lại hơi cao.');
}, 120_000);
afterAll(async () => {
	await stack?.stop();
});

describe('open_draft_page', () => {
	it('gives every member what the separate calls give them, with and without comments', async () => {
		for (const who of [...membersOf(cast), ...strangersOf(cast), guest]) {
			for (const [draft, withComments] of [
				[draftId, true],
				[draftId, false],
				[elsewhere, true] // another space's draft, even for its own leader
			] as const) {
				expect(await inOneCall(who, spaceId, draft, withComments), `${who.email} ${draft}`).toEqual(
					await separately(who, spaceId, draft, withComments)
				);
			}
		}
	});

	it('is not an empty comparison: the draft, threaded comments and their names are there', async () => {
		const page = (await openDraftPage(cast.member.client, spaceId, draftId, true))!;
		expect(page.space?.id).toBe(spaceId);
		expect(page.draft?.title).toBe('Đề xuất dự án CoP-PwD');
		expect(page.draft?.kind).toBe('proposal');
		expect(page.comments.map((c) => [c.body, c.author, c.resolver, c.replies.map((r) => r.author)])).toEqual([
			['Thêm số liệu?', 'Le Leader Draft Page', 'De Deputy Draft Page', ['Me Member Draft Page']],
			['Ngân sách đi lại hơi cao.', 'De Deputy Draft Page', null, []]
		]);
		expect((await openDraftPage(cast.member.client, spaceId, draftId, false))!.comments).toEqual([]);
		expect((await openDraftPage(cast.leader.client, spaceId, elsewhere, true))!.draft).toBeNull();
	});

	it('gives strangers and a dialogue guest nothing, and refuses anon', async () => {
		for (const who of [...strangersOf(cast), guest]) {
			expect(await openDraftPage(who.client, spaceId, draftId, true), who.email).toBeNull();
		}
		const anon = await cast.anon.client.rpc('open_draft_page', { p_space: spaceId, p_draft: draftId });
		expect(anon.error).not.toBeNull();
	});
});
