// Attacks on a shared draft by people who may edit it (issue 20, items 1-3),
// each performed for real through the API as a plain member:
// - overwriting the stored document with anything (compact_draft with random
//   bytes and an invented projection, create_draft with garbage); a draft
//   whose stored snapshot is unreadable (as an attack before the fix left
//   one) still loads, compacts and restores;
// - pushing a draft past what can be stored, or faster than a person types;
// - speaking on the draft's channel: phantom updates, cursors in someone
//   else's name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { RealtimeChannel } from '@supabase/supabase-js';
import { serviceClient, startTestStack, type TestStack } from '../helpers/stack';
import { invitePerson, newId, createSpace } from '../helpers/spaces';
import { signUpCast, type Cast } from '../helpers/cast';
import { createDraft, proposalDoc, push, typeInto } from './helpers';
import { toBase64 } from '$lib/drafts/base64';
import { projectDoc, sectionsOf } from '$lib/drafts/doc';
import { foldDraftLog, loadDraftDoc, restoreVersion } from '$lib/drafts/compact.server';
import { DraftSync } from '$lib/drafts/sync';
import { supabaseApi } from '$lib/drafts/api';

let stack: TestStack;
let cast: Cast;
let spaceId: string;
const service = () => serviceClient(stack);

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack);
	spaceId = await createSpace(cast.facilitator);
	await invitePerson(cast.facilitator, cast.member, spaceId, 'member');
	await invitePerson(cast.facilitator, cast.leader, spaceId, 'leader');
	await invitePerson(cast.facilitator, cast.deputy, spaceId, 'deputy');
});
afterAll(async () => {
	await stack?.stop();
});

const randomBase64 = (bytes: number) => toBase64(crypto.getRandomValues(new Uint8Array(bytes)));
const storedRow = async (draftId: string) =>
	(
		await stack.sql<{ snapshot: string; projection: unknown; snapshot_seq: string }>(
			'select encode(snapshot, $2) as snapshot, projection, snapshot_seq::text from public.drafts where id = $1',
			[draftId, 'base64']
		)
	)[0];
const sectionText = (doc: Y.Doc) => projectDoc(doc).sections.map((s) => s.text);

describe('item 1: nobody overwrites the stored document', () => {
	it('a member calling compaction with random bytes and an invented projection is refused; nothing changes', async () => {
		const draftId = await createDraft(cast.member, spaceId);
		expect(await foldDraftLog(service(), draftId)).toBe(true);
		const before = await storedRow(draftId);
		const invented = {
			sections: [{ id: 'x', heading: 'Invented', content: [], text: 'Invented' }],
			budget: {
				currency: 'USD',
				groups: [{ id: 'g', name: 'g', lines: [{ id: 'l', quantity: '1', unit_cost: '999999999' }] }]
			},
			activities: []
		};
		// Main's signature (this is the call that answered `true` there) and today's.
		const old = await cast.member.client.rpc(
			'compact_draft' as never,
			{
				p_draft: draftId,
				p_from_seq: 1,
				p_up_to_seq: 1,
				p_snapshot: randomBase64(256),
				p_projection: invented
			} as never
		);
		expect(old.error).not.toBeNull();
		const token = newId();
		const staged = await cast.member.client.rpc('stage_draft_compaction', {
			p_token: token,
			p_part: 0,
			p_data: JSON.stringify({ snapshot: randomBase64(256), projection: invented })
		});
		expect(staged.error?.code).toBe('42501');
		const now = await cast.member.client.rpc('compact_draft', {
			p_draft: draftId,
			p_from_seq: 1,
			p_up_to_seq: 1,
			p_token: token,
			p_parts: 1
		});
		expect(now.error?.code).toBe('42501');
		expect(await storedRow(draftId)).toEqual(before);
		const loaded = await loadDraftDoc(cast.leader.client, draftId);
		expect(sectionText(loaded!.doc)).toEqual(['Câu lạc bộ phụ nữ Khai Quang', '']);
	});

	it('a draft created with garbage as its content loads and compacts to an empty document, never to the garbage', async () => {
		const draftId = newId();
		const created = await cast.member.client.rpc('create_draft', {
			p_id: draftId,
			p_space: spaceId,
			p_kind: 'proposal',
			p_title: 'Rác',
			p_language: 'vi',
			p_content: randomBase64(256)
		});
		expect(created.error).toBeNull();
		const loaded = await loadDraftDoc(cast.leader.client, draftId);
		expect(loaded?.skipped).toBe(1);
		expect(await foldDraftLog(service(), draftId)).toBe(true);
		const [row] = await stack.sql<{ projection: unknown; budget_total: string | null }>(
			'select projection, budget_total from public.drafts where id = $1',
			[draftId]
		);
		expect(row).toEqual({ projection: { sections: [], budget: null, activities: [] }, budget_total: null });
		// Editors can write into it as into any draft.
		const doc = proposalDoc();
		expect((await push(cast.leader, draftId, Y.encodeStateAsUpdate(doc))).error).toBeNull();
		expect(await foldDraftLog(service(), draftId)).toBe(true);
		expect(sectionText((await loadDraftDoc(cast.member.client, draftId))!.doc)).toEqual([
			'Câu lạc bộ phụ nữ Khai Quang',
			''
		]);
	});

	it('a stored snapshot that cannot be read (left by the attack before the fix) still loads, compacts and restores', async () => {
		const doc = proposalDoc();
		const draftId = await createDraft(cast.member, spaceId, doc);
		expect(await foldDraftLog(service(), draftId)).toBe(true);
		const versionId = newId();
		expect(
			(
				await cast.member.client.rpc('save_draft_version', {
					p_id: versionId,
					p_draft: draftId,
					p_name: 'v1'
				})
			).error
		).toBeNull();
		// What main's compact_draft let a member store: 256 random bytes.
		await stack.sql("update public.drafts set snapshot = decode($2, 'base64') where id = $1", [
			draftId,
			randomBase64(256)
		]);
		const loaded = await loadDraftDoc(cast.leader.client, draftId);
		expect(loaded?.snapshotUnreadable).toBe(true);
		// Editing goes on; compaction repairs the stored copy and says so in the history.
		const fresh = new Y.Doc();
		fresh.transact(() => sectionsOf(fresh).insert(0, [sectionsOf(proposalDoc()).get(0).clone()]));
		expect((await push(cast.leader, draftId, Y.encodeStateAsUpdate(fresh))).error).toBeNull();
		expect(await foldDraftLog(service(), draftId)).toBe(true);
		const history = await cast.member.client.from('draft_history').select('scope').eq('draft_id', draftId);
		expect(history.data).toContainEqual({ scope: 'repair' });
		expect((await loadDraftDoc(cast.member.client, draftId))?.snapshotUnreadable).toBe(false);
		// And the version named before the attack comes back.
		const restored = await restoreVersion(cast.member.client, draftId, versionId);
		expect(restored.error).toBeNull();
		expect(await foldDraftLog(service(), draftId)).toBe(true);
		expect(sectionText((await loadDraftDoc(cast.deputy.client, draftId))!.doc)).toEqual(sectionText(doc));
	});
});

describe('item 2: a draft cannot be pushed past what compaction stores', () => {
	it('one person at most 600 updates a minute: the next is too_fast', async () => {
		const doc = proposalDoc();
		// Created by someone else: creating is the creator's first update, and counts for them.
		const draftId = await createDraft(cast.leader, spaceId, doc);
		const updates = Array.from({ length: 601 }, (_, i) => typeInto(doc, String(i % 10)));
		let refused: string | undefined;
		for (const [i, update] of updates.entries()) {
			const { error } = await push(cast.member, draftId, update);
			if (error) {
				refused = `${i}: ${error.message}`;
				break;
			}
		}
		expect(refused).toBe('600: too_fast');
		// Somebody else is not slowed by it.
		expect((await push(cast.deputy, draftId, typeInto(doc, '!'))).error).toBeNull();
	}, 120_000); // 600 stored updates one after another: seconds alone, longer on a busy machine

	it('a flood of 120 KiB updates stops at 4 MiB stored; what was accepted compacts (in pieces), loads and is recorded', async () => {
		const doc = proposalDoc();
		const draftId = await createDraft(cast.member, spaceId, doc);
		// Letters no compression would shrink, 120,000 per update (just under the 128 KiB an update may be).
		const letters = () =>
			Array.from({ length: 120_000 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join(
				''
			);
		let accepted = 0;
		let refusal = '';
		const people = [cast.member, cast.leader, cast.deputy, cast.facilitator];
		for (let i = 0; i < 48 && !refusal; i++) {
			const who = people[Math.floor(i / 12)];
			const { error } = await push(who, draftId, typeInto(doc, letters()));
			if (error) refusal = error.message;
			else accepted++;
		}
		expect(refusal).toBe('draft_too_large');
		expect(accepted).toBeGreaterThanOrEqual(30);
		expect(accepted).toBeLessThan(36);
		// The compaction's payload is many times the local stack's 1 MiB body limit: it goes in pieces.
		expect(await foldDraftLog(service(), draftId)).toBe(true);
		const [row] = await stack.sql<{ snapshot_bytes: number; pending: string }>(
			'select octet_length(snapshot) as snapshot_bytes, head_seq - snapshot_seq as pending from public.drafts where id = $1',
			[draftId]
		);
		expect(Number(row.pending)).toBe(0);
		expect(row.snapshot_bytes).toBeGreaterThan(accepted * 120_000);
		const loaded = await loadDraftDoc(cast.leader.client, draftId);
		expect(loaded!.upToSeq).toBe(accepted + 1);
		expect(projectDoc(loaded!.doc).sections[0].text.length).toBeGreaterThan(accepted * 120_000);
		const history = await cast.member.client
			.from('draft_history')
			.select('user_id, changes')
			.eq('draft_id', draftId)
			.eq('scope', 'section:background');
		expect(history.data?.reduce((n, h) => n + h.changes, 0)).toBe(accepted);
		// Still full: more is refused at the cap, without breaking what is there.
		expect((await push(cast.facilitator, draftId, typeInto(doc, letters()))).error?.message).toBe(
			'draft_too_large'
		);
	});
});

describe('item 3: only the database speaks on the draft channel', () => {
	const joined = (client: Cast['member']['client'], topic: string) =>
		new Promise<RealtimeChannel>((resolve) => {
			const channel = client.channel(topic, { config: { private: true } });
			channel.subscribe((status) => status === 'SUBSCRIBED' && resolve(channel));
		});

	it('a phantom update with the next number is never applied and never makes the real one skipped', async () => {
		const draftId = await createDraft(cast.member, spaceId);
		const editor = (who: Cast['member']) => {
			const doc = new Y.Doc();
			return {
				doc,
				sync: new DraftSync({ doc, draftId, api: supabaseApi(who.client, draftId), pollMs: 60_000 })
			};
		};
		const a = editor(cast.member);
		const b = editor(cast.leader);
		await Promise.all([a.sync.start(), b.sync.start()]);
		const attacker = await joined(cast.deputy.client, `draft:${draftId}`);
		await new Promise((r) => setTimeout(r, 300));
		const next = b.sync.lastSeq + 1;
		const phantom = new Y.Doc();
		phantom.getArray('sections').insert(0, ['phantom']);
		await attacker.send({
			type: 'broadcast',
			event: 'update',
			payload: { id: newId(), seq: next, u: toBase64(Y.encodeStateAsUpdate(phantom)), by: cast.member.id }
		});
		for (let i = 0; i < 50; i++)
			await attacker.send({ type: 'broadcast', event: 'stored', payload: { seq: next + i } });
		await new Promise((r) => setTimeout(r, 500));
		expect(b.sync.lastSeq).toBe(next - 1);
		expect(JSON.stringify(b.doc.getArray('sections').toJSON())).not.toContain('phantom');
		// The real update with that number arrives and is applied.
		const body = sectionsOf(a.doc).get(0).get('body') as Y.XmlFragment;
		((body.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Thật: ');
		const deadline = Date.now() + 10_000;
		while (!sectionText(b.doc)[0]?.startsWith('Thật: ') && Date.now() < deadline)
			await new Promise((r) => setTimeout(r, 25));
		expect(sectionText(b.doc)).toEqual(sectionText(a.doc));
		expect(b.sync.lastSeq).toBe(next);
		await cast.deputy.client.removeChannel(attacker);
		a.sync.stop();
		b.sync.stop();
	});

	it('a cursor always carries its sender: another person\u2019s name or awareness client cannot be claimed', async () => {
		const draftId = await createDraft(cast.member, spaceId);
		const doc = new Y.Doc();
		const b = new DraftSync({ doc, draftId, api: supabaseApi(cast.leader.client, draftId), pollMs: 60_000 });
		await b.start();
		const member = new DraftSync({
			doc: new Y.Doc(),
			draftId,
			api: supabaseApi(cast.member.client, draftId),
			user: { name: 'Member', color: '#000000' },
			pollMs: 60_000
		});
		await member.start();
		const names = () =>
			[...b.awareness.getStates()]
				.filter(([client]) => client !== doc.clientID)
				.map(([, state]) => (state as { user?: { name?: string } }).user?.name);
		const deadline = Date.now() + 10_000;
		while (!names().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
		const [{ display_name: memberName }] = await stack.sql<{ display_name: string }>(
			'select display_name from public.profiles where id = $1',
			[cast.member.id]
		);
		expect(names()).toEqual([memberName]);
		// The deputy claims the member's awareness client, and then a brand new one in the member's name.
		const { encodeAwarenessUpdate, Awareness } = await import('y-protocols/awareness');
		const forge = (clientID: number) => {
			const forged = new Y.Doc();
			forged.clientID = clientID;
			const awareness = new Awareness(forged);
			awareness.setLocalState({ user: { name: memberName, color: '#000000' }, cursor: null });
			return toBase64(encodeAwarenessUpdate(awareness, [clientID]));
		};
		const takeOver = await cast.deputy.client.rpc('draft_awareness', {
			p_draft: draftId,
			p_state: forge(member.doc.clientID)
		});
		expect(takeOver.error).toBeNull();
		const posing = await cast.deputy.client.rpc('draft_awareness', {
			p_draft: draftId,
			p_state: forge(424242)
		});
		expect(posing.error).toBeNull();
		await new Promise((r) => setTimeout(r, 800));
		const [{ display_name: deputyName }] = await stack.sql<{ display_name: string }>(
			'select display_name from public.profiles where id = $1',
			[cast.deputy.id]
		);
		// The member's cursor is still the member's; the new client shows the deputy's own name.
		expect(b.awareness.getStates().get(member.doc.clientID)).toMatchObject({
			user: { name: memberName, id: cast.member.id }
		});
		expect(b.awareness.getStates().get(424242)).toMatchObject({
			user: { name: deputyName, id: cast.deputy.id }
		});
		member.stop();
		b.stop();
	});
});
