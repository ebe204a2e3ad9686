// What storing a keystroke does to the draft's row (20261208000100_draft_hot_updates.sql).
// Every push numbers the log by updating the draft's row. That update used to
// rebuild the search text from the whole projection and, with last_edit_at in
// an index, could never be a HOT update: it re-inserted the draft into every
// index, the trigram index of its whole text among them (58 ms a push on a
// 50-page draft). Here, through the API as a member: the search text still
// follows a rename and a compaction, and stays as it was while people type;
// and pushes made as the editor makes them are HOT updates of the row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceClient, startTestStack, type TestStack } from '../helpers/stack';
import { createSpace, invitePerson } from '../helpers/spaces';
import { signUpCast, type Cast } from '../helpers/cast';
import { toBase64 } from '$lib/drafts/base64';
import { projectDoc } from '$lib/drafts/doc';
import { foldDraftLog, loadDraftDoc } from '$lib/drafts/compact.server';
import { createDraft, push, typeInto } from './helpers';

let stack: TestStack;
let cast: Cast;
let spaceId: string;

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack);
	spaceId = await createSpace(cast.facilitator);
	await invitePerson(cast.facilitator, cast.member, spaceId, 'member');
	// Pushes made inside one transaction, to count them in its own statistics.
	await stack.sql(`create function public.test_hot_pushes(p_draft uuid, p_user uuid, p_updates text[])
		returns bigint language plpgsql as $$
		declare
		  v_before bigint;
		  v_update text;
		begin
		  perform set_config('request.jwt.claims', jsonb_build_object('sub', p_user, 'role', 'authenticated')::text, true);
		  perform set_config('request.jwt.claim.sub', p_user::text, true);
		  select coalesce(n_tup_hot_upd, 0) into v_before from pg_stat_xact_user_tables
		   where relid = 'public.drafts'::regclass;
		  foreach v_update in array p_updates loop
		    perform public.push_draft_update(gen_random_uuid(), p_draft, v_update);
		  end loop;
		  return (select coalesce(n_tup_hot_upd, 0) from pg_stat_xact_user_tables
		           where relid = 'public.drafts'::regclass) - coalesce(v_before, 0);
		end $$`);
});
afterAll(async () => {
	await stack
		?.sql('drop function if exists public.test_hot_pushes(uuid, uuid, text[])')
		.catch(() => undefined);
	await stack?.stop();
});

const stored = async (draftId: string) =>
	(
		await stack.sql<{ search_text: string; derived: string; head_seq: string }>(
			`select search_text, public.draft_projection_text(title, projection) as derived, head_seq::text
			   from public.drafts where id = $1`,
			[draftId]
		)
	)[0];

async function editorDoc(draftId: string) {
	const loaded = await loadDraftDoc(cast.member.client, draftId);
	expect(loaded).not.toBeNull();
	return loaded!.doc;
}

describe('the search text while people type', () => {
	it('follows a rename and a compaction, and is left as it was by pushes', async () => {
		const draftId = await createDraft(cast.member, spaceId);
		const doc = await editorDoc(draftId);

		// A rename through the API, as the draft's page does it.
		const renamed = await cast.member.client
			.from('drafts')
			.update({ title: 'Kế hoạch nhà trọ an toàn' })
			.eq('id', draftId);
		expect(renamed.error).toBeNull();
		let row = await stored(draftId);
		expect(row.search_text).toContain('Kế hoạch nhà trọ an toàn');
		expect(row.search_text).toBe(row.derived);

		// Pushes: the log grows, the stored search text (from the last compaction) stays.
		const before = row.search_text;
		for (const word of [' Khai', ' Quang', ' đối thoại']) {
			const { error } = await push(cast.member, draftId, typeInto(doc, word));
			expect(error).toBeNull();
		}
		row = await stored(draftId);
		expect(Number(row.head_seq)).toBeGreaterThanOrEqual(4);
		expect(row.search_text).toBe(before);

		// The compaction folds the typing into the projection and the search text.
		expect(await foldDraftLog(serviceClient(stack), draftId)).toBe(true);
		row = await stored(draftId);
		expect(row.search_text).toContain('Khai Quang đối thoại');
		expect(row.search_text).toBe(row.derived);
	});

	it('cannot be written through the API, by a member or anyone else', async () => {
		const draftId = await createDraft(cast.member, spaceId);
		const before = (await stored(draftId)).search_text;
		const member = await cast.member.client
			.from('drafts')
			.update({ search_text: 'tìm tôi' } as never)
			.eq('id', draftId);
		expect(member.error?.message).toMatch(/not_allowed/);
		const outsider = await cast.outsider.client
			.from('drafts')
			.update({ search_text: 'tìm tôi' } as never)
			.eq('id', draftId)
			.select('id');
		// No row of another space is visible to update.
		expect(outsider.data ?? []).toEqual([]);
		expect((await stored(draftId)).search_text).toBe(before);
	});
});

describe('pushes are HOT updates of the draft row', () => {
	it('storing five updates updates the row in place five times (no index touched)', async () => {
		const draftId = await createDraft(cast.member, spaceId);
		const doc = await editorDoc(draftId);
		const updates = ['a', 'b', 'c', 'd', 'e'].map((ch) => toBase64(typeInto(doc, ch)));
		const seqBefore = Number((await stored(draftId)).head_seq);
		const [{ hot }] = await stack.sql<{ hot: string }>(
			'select public.test_hot_pushes($1, $2, $3::text[])::text as hot',
			[draftId, cast.member.id, updates]
		);
		expect(Number((await stored(draftId)).head_seq)).toBe(seqBefore + 5);
		expect(Number(hot)).toBe(5);
		// The typing is in the log as any editor's would be.
		expect(projectDoc(await editorDoc(draftId)).sections[0].text).toContain('Khai Quangabcde');
	});
});
