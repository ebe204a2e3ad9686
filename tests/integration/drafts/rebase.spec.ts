// Rebasing a draft (issue 24, part 3) through the real stack: the compactor's
// rebase shrinks a draft typed and retyped character by character to a fresh
// document of the same content (a new epoch); writes made on the old epoch
// are refused whatever path they take; an open editor starts again on the new
// epoch; a phone that was offline across the rebase carries its unsent
// changes over, merged by part with what others wrote since; and nobody but
// the compactor can rebase, or read another space's rebases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	anonClient,
	serviceClient,
	signedInUser,
	startTestStack,
	type Person,
	type TestStack
} from '../helpers/stack';
import { newId } from '../helpers/spaces';
import { signUpCast, spaceWithCast, type Cast } from '../helpers/cast';
import { conveneDialogue, inviteGuest } from '../helpers/dialogues';
import { createDraft, push, typeInto } from './helpers';
import { toBase64 } from '$lib/drafts/base64';
import { newSection, projectDoc, sectionsOf } from '$lib/drafts/doc';
import { foldDraftLog, loadDraftDoc, rebaseDraft } from '$lib/drafts/compact.server';
import { DraftSync, type Carry, type SyncMeta, type SyncStore } from '$lib/drafts/sync';
import { supabaseApi } from '$lib/drafts/api';

let stack: TestStack;
let cast: Cast;
let spaceId: string;
/** A landlord invited to one of the space's dialogues: a guest, never an editor. */
let guest: Person;
const service = () => serviceClient(stack);

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack);
	spaceId = await spaceWithCast(cast);
	guest = await signedInUser(stack, 'Gu Guest');
	const dialogueId = await conveneDialogue(cast.facilitator, spaceId);
	await inviteGuest(cast.facilitator, guest, dialogueId);
});
afterAll(async () => {
	await stack?.stop();
});

async function until(check: () => boolean, what: string, timeoutMs = 15_000) {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 25));
	}
}

const epochOf = async (draftId: string) =>
	Number(
		(
			await stack.sql<{ epoch: number }>(
				'select coalesce(max(epoch), 0) as epoch from public.draft_rebases where draft_id = $1',
				[draftId]
			)
		)[0].epoch
	);
const snapshotBytes = async (draftId: string) =>
	Number(
		(
			await stack.sql<{ n: number }>('select octet_length(snapshot) as n from public.drafts where id = $1', [
				draftId
			])
		)[0].n
	);
const sectionTexts = (doc: Y.Doc) => projectDoc(doc).sections.map((s) => s.text);

/**
 * A draft grown the way a shared draft grows: three people typing into the
 * same paragraph a character at a time, each at their own place in it, and
 * deleting words again; each person's typing stored as their own update; then
 * folded.
 */
async function grownDraft(): Promise<string> {
	const draftId = await createDraft(cast.member, spaceId);
	const people = [cast.member, cast.leader, cast.facilitator];
	const start = Y.encodeStateAsUpdate((await loadDraftDoc(cast.member.client, draftId))!.doc);
	const docs = people.map(() => {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, start, 'sync');
		return doc;
	});
	const typed = docs.map((doc) => {
		const mine: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array, origin: unknown) => origin !== 'sync' && mine.push(u));
		return mine;
	});
	const exchange = () => {
		for (const a of docs)
			for (const b of docs)
				if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'sync');
	};
	// One text in the paragraph, shared by all (as the editor has it).
	typeInto(docs[0], '·', 1);
	exchange();
	for (let round = 0; round < 6; round++) {
		docs.forEach((doc, i) => {
			const paragraph = (sectionsOf(doc).get(1).get('body') as Y.XmlFragment).get(0) as Y.XmlElement;
			const node = paragraph.get(0) as Y.XmlText;
			for (const char of ` người ${i} nói`) node.insert(Math.floor((node.length * (i + 1)) / 4), char);
			node.delete(Math.max(0, node.length - 4), 3);
		});
		exchange();
	}
	for (const [i, who] of people.entries()) {
		const { error } = await push(who, draftId, Y.mergeUpdates(typed[i]), newId(), 'section:objectives');
		expect(error).toBeNull();
	}
	expect(await foldDraftLog(service(), draftId)).toBe(true);
	return draftId;
}

/** In-memory device storage, as y-indexeddb's key-value store is in the browser. */
function memoryStore(): SyncStore & { meta: SyncMeta | null; cleared: number } {
	const store = {
		meta: null as SyncMeta | null,
		cleared: 0,
		load: () => Promise.resolve(store.meta),
		save: (meta: SyncMeta) => {
			store.meta = meta;
			return Promise.resolve();
		},
		clear: () => {
			store.meta = null;
			store.cleared++;
			return Promise.resolve();
		}
	};
	return store;
}

/**
 * An editor as the browser runs one: a DraftSync that starts again on a new
 * document when the draft is rebased (start.svelte.ts does the same), and
 * whose network can be cut.
 */
function editor(who: Person, draftId: string) {
	const client = who.client;
	const net = { offline: false };
	const rpc = client.rpc.bind(client);
	const api = supabaseApi(
		new Proxy(client, {
			get: (target, key) =>
				key === 'rpc'
					? (...args: Parameters<typeof rpc>) =>
							net.offline ? Promise.reject(new TypeError('fetch failed')) : rpc(...args)
					: (Reflect.get(target, key) as unknown)
		}),
		draftId
	);
	const state = { sync: null as unknown as DraftSync, restarts: 0, carried: null as Carry | null };
	const open = (carry?: Carry) => {
		const sync = new DraftSync({
			doc: new Y.Doc(),
			draftId,
			api,
			store: memoryStore(),
			carry,
			flushDelayMs: 20,
			onRebased: (next) => {
				state.restarts++;
				state.carried = next;
				void open(next ?? undefined);
			}
		});
		state.sync = sync;
		return sync.start();
	};
	return {
		state,
		open,
		get doc() {
			return state.sync.doc;
		},
		texts: () => sectionTexts(state.sync.doc),
		goOffline: () => void (net.offline = true),
		goOnline: () => {
			net.offline = false;
			state.sync.online();
		},
		stop: () => state.sync.stop()
	};
}

describe('rebasing', () => {
	it('a draft typed and retyped shrinks to a fresh document with the same content, as a new epoch', async () => {
		const draftId = await grownDraft();
		const before = await loadDraftDoc(cast.member.client, draftId);
		const bytesBefore = await snapshotBytes(draftId);
		const result = await rebaseDraft(service(), draftId);
		expect(result.rebased).toBe(true);
		const bytesAfter = await snapshotBytes(draftId);
		expect(bytesAfter).toBe(result.afterBytes);
		expect(bytesBefore).toBeGreaterThan(2 * bytesAfter);
		expect(await epochOf(draftId)).toBe(1);
		const after = await loadDraftDoc(cast.member.client, draftId);
		expect(after!.epoch).toBe(1);
		expect(projectDoc(after!.doc)).toEqual(projectDoc(before!.doc));
		// The stored projection (reading pages, search) is unchanged too.
		const [row] = await stack.sql<{ projection: unknown }>(
			'select projection from public.drafts where id = $1',
			[draftId]
		);
		expect(row.projection).toEqual(projectDoc(before!.doc));
		// Once is enough: nothing new, nothing to gain.
		expect((await rebaseDraft(service(), draftId)).rebased).toBe(false);
		expect(await epochOf(draftId)).toBe(1);
	});

	it('a draft that would not shrink by half is left alone', async () => {
		const draftId = await createDraft(cast.member, spaceId);
		expect(await foldDraftLog(service(), draftId)).toBe(true);
		expect((await rebaseDraft(service(), draftId)).rebased).toBe(false);
		expect(await epochOf(draftId)).toBe(0);
	});

	it('a rebase prepared before an update was stored does not land, and a compaction prepared before a rebase does not', async () => {
		const draftId = await grownDraft();
		const [{ head_seq }] = await stack.sql<{ head_seq: string }>(
			'select head_seq::text from public.drafts where id = $1',
			[draftId]
		);
		const staleToken = newId();
		await service().rpc('stage_draft_compaction', {
			p_token: staleToken,
			p_part: 0,
			p_data: JSON.stringify({
				snapshot: toBase64(Y.encodeStateAsUpdate(new Y.Doc())),
				projection: { sections: [], activities: [] }
			})
		});
		const doc = (await loadDraftDoc(cast.member.client, draftId))!.doc;
		expect((await push(cast.member, draftId, typeInto(doc, '!', 1))).error).toBeNull();
		const stale = await service().rpc('rebase_draft', {
			p_draft: draftId,
			p_base_seq: Number(head_seq),
			p_token: staleToken,
			p_parts: 1
		});
		expect(stale.error).toBeNull();
		expect(stale.data).toBe(false);
		expect(await epochOf(draftId)).toBe(0);
		expect(sectionTexts((await loadDraftDoc(cast.member.client, draftId))!.doc)[1]).toMatch(/!$/);
		// Fold, then rebase: a compaction that read the draft before the rebase finds its number taken.
		expect(await foldDraftLog(service(), draftId)).toBe(true);
		const [{ snapshot_seq }] = await stack.sql<{ snapshot_seq: string }>(
			'select snapshot_seq::text from public.drafts where id = $1',
			[draftId]
		);
		expect((await rebaseDraft(service(), draftId)).rebased).toBe(true);
		const late = await service().rpc('compact_draft', {
			p_draft: draftId,
			p_from_seq: Number(snapshot_seq),
			p_up_to_seq: Number(snapshot_seq),
			p_token: newId(),
			p_parts: 0
		});
		expect(late.data).toBe(false);
		expect(sectionTexts((await loadDraftDoc(cast.member.client, draftId))!.doc)[1]).toMatch(/!$/);
	});
});

describe('writes on the old epoch', () => {
	it('are refused on every path; a replay of an update stored before the rebase still answers its number', async () => {
		const draftId = await grownDraft();
		const old = (await loadDraftDoc(cast.member.client, draftId))!.doc;
		const storedId = newId();
		const stored = await push(cast.member, draftId, typeInto(old, 'x', 0), storedId);
		expect(stored.error).toBeNull();
		expect(await foldDraftLog(service(), draftId)).toBe(true);
		expect((await rebaseDraft(service(), draftId)).rebased).toBe(true);
		// The path from before epochs existed, and the new one saying the old epoch.
		const direct = await push(cast.member, draftId, typeInto(old, 'y', 0));
		expect(direct.error?.message).toBe('stale_epoch');
		const sayingOld = await cast.member.client.rpc('push_draft_update_at', {
			p_epoch: 0,
			p_id: newId(),
			p_draft: draftId,
			p_update: toBase64(typeInto(old, 'z', 0)),
			p_scope: ''
		});
		expect(sayingOld.error?.message).toBe('stale_epoch');
		const replay = await push(cast.member, draftId, typeInto(old, 'w', 0), storedId);
		expect(replay.error).toBeNull();
		expect(replay.data).toBe(stored.data);
		// On the current epoch it is stored.
		const current = (await loadDraftDoc(cast.member.client, draftId))!;
		const ok = await cast.member.client.rpc('push_draft_update_at', {
			p_epoch: current.epoch,
			p_id: newId(),
			p_draft: draftId,
			p_update: toBase64(typeInto(current.doc, ' mới', 0)),
			p_scope: 'section:background'
		});
		expect(ok.error).toBeNull();
		const texts = sectionTexts((await loadDraftDoc(cast.member.client, draftId))!.doc);
		expect(texts[0]).toMatch(/x mới$/);
		expect(texts[0]).not.toMatch(/[yzw]/);
	});

	it('a catch-up on the old epoch gets the whole current document, never the log after a number of the old one', async () => {
		const draftId = await grownDraft();
		const [{ head_seq }] = await stack.sql<{ head_seq: string }>(
			'select head_seq::text from public.drafts where id = $1',
			[draftId]
		);
		expect((await rebaseDraft(service(), draftId)).rebased).toBe(true);
		const { data } = await cast.leader.client.rpc('draft_catch_up_at', {
			p_draft: draftId,
			p_epoch: 0,
			p_after: Number(head_seq)
		});
		expect(data?.[0].epoch).toBe(1);
		expect(data?.[0].snapshot).toBeTruthy();
		const onCurrent = await cast.leader.client.rpc('draft_catch_up_at', {
			p_draft: draftId,
			p_epoch: 1,
			p_after: Number(head_seq) + 1
		});
		expect(onCurrent.data?.[0].snapshot).toBeNull();
	});
});

describe('editors across a rebase', () => {
	it('an open editor starts again on the new epoch with nothing to carry, and keeps editing with the others', async () => {
		const draftId = await grownDraft();
		const a = editor(cast.member, draftId);
		const b = editor(cast.leader, draftId);
		await Promise.all([a.open(), b.open()]);
		const content = a.texts();
		expect((await rebaseDraft(service(), draftId)).rebased).toBe(true);
		await until(
			() => a.state.restarts === 1 && b.state.restarts === 1,
			'both editors restart on the rebased broadcast'
		);
		expect(a.state.carried).toBeNull();
		await until(() => a.state.sync.epoch === 1 && a.state.sync.state === 'saved', 'A on epoch 1');
		await until(() => b.state.sync.epoch === 1 && b.state.sync.state === 'saved', 'B on epoch 1');
		expect(a.texts()).toEqual(content);
		typeInto(a.doc, ' A sau', 0);
		await until(() => b.texts()[0].endsWith(' A sau'), 'B sees A after the rebase');
		expect(b.texts()).toEqual(a.texts());
		a.stop();
		b.stop();
	});

	it('a phone offline across the rebase carries its changes over; others’ changes since are kept; a part both changed keeps both', async () => {
		const draftId = await grownDraft();
		const a = editor(cast.member, draftId);
		const b = editor(cast.leader, draftId);
		await Promise.all([a.open(), b.open()]);
		const [background, objectives] = a.texts();
		a.goOffline();
		typeInto(a.doc, ' (A offline)', 0);
		typeInto(a.doc, ' A cũng sửa', 1);
		a.doc.transact(() =>
			sectionsOf(a.doc).push([newSection('Ngân sách', ['Phần A thêm khi mất mạng'], 'a-added')])
		);
		await until(() => a.state.sync.state === 'offline', 'A offline');
		expect(await foldDraftLog(service(), draftId)).toBe(false); // nothing of A's was stored
		expect((await rebaseDraft(service(), draftId)).rebased).toBe(true);
		await until(() => b.state.restarts === 1 && b.state.sync.epoch === 1, 'B on epoch 1');
		typeInto(b.doc, ' B sau khi', 1);
		await until(() => b.state.sync.idle && b.state.sync.state === 'saved', 'B saved');
		a.goOnline();
		await until(() => a.state.restarts === 1, 'A restarts');
		expect(a.state.carried).not.toBeNull();
		await until(
			() => a.state.sync.epoch === 1 && a.state.sync.idle && a.state.sync.state === 'saved',
			'A saved on epoch 1'
		);
		await until(() => JSON.stringify(a.texts()) === JSON.stringify(b.texts()), 'A and B agree');
		const texts = a.texts();
		// A's change to a part nobody else changed, A's new part, B's change: all there, once.
		expect(texts[0]).toBe(`${background} (A offline)`);
		expect(texts.filter((t) => t === 'Phần A thêm khi mất mạng')).toHaveLength(1);
		expect(texts).toContain(`${objectives} B sau khi`);
		// Both changed the second part: A's version beside B's.
		expect(texts).toContain(`${objectives} A cũng sửa`);
		expect(texts).toHaveLength(4);
		// And the server agrees.
		const server = (await loadDraftDoc(cast.member.client, draftId))!;
		expect(server.epoch).toBe(1);
		expect(sectionTexts(server.doc)).toEqual(texts);
		a.stop();
		b.stop();
	});
});

describe('who may rebase and read rebases', () => {
	it('nobody but the compactor rebases or lists drafts to rebase; only the draft’s editors read its rebases', async () => {
		const draftId = await grownDraft();
		expect((await rebaseDraft(service(), draftId)).rebased).toBe(true);
		const anon = anonClient(stack);
		for (const client of [anon, cast.member.client, cast.facilitator.client, cast.outsider.client]) {
			const rebase = await client.rpc('rebase_draft', {
				p_draft: draftId,
				p_base_seq: 0,
				p_token: newId(),
				p_parts: 0
			});
			expect(rebase.error?.code).toBe('42501');
			const list = await client.rpc('drafts_to_rebase', {});
			expect(list.error?.code).toBe('42501');
			const moved = await client.from('draft_rebases').update({ epoch: 9 }).eq('draft_id', draftId).select();
			expect(moved.data ?? []).toEqual([]);
			const removed = await client.from('draft_rebases').delete().eq('draft_id', draftId).select();
			expect(removed.data ?? []).toEqual([]);
		}
		for (const person of [cast.member, cast.deputy]) {
			const { data } = await person.client.from('draft_rebases').select('epoch').eq('draft_id', draftId);
			expect(data).toEqual([{ epoch: 1 }]);
			expect(
				(await person.client.rpc('draft_rebase_base', { p_draft: draftId, p_epoch: 0 })).data
			).toBeTruthy();
		}
		for (const client of [anon, cast.outsider.client, cast.removed.client, guest.client]) {
			const { data } = await client.from('draft_rebases').select('epoch').eq('draft_id', draftId);
			expect(data ?? []).toEqual([]);
			const base = await client.rpc('draft_rebase_base', { p_draft: draftId, p_epoch: 0 });
			expect(base.data ?? null).toBeNull();
			const catchUp = await client.rpc('draft_catch_up_at', { p_draft: draftId, p_epoch: 0 });
			expect(catchUp.data ?? []).toEqual([]);
		}
		const [{ n }] = await stack.sql<{ n: number }>(
			'select count(*)::int as n from public.draft_rebases where draft_id = $1',
			[draftId]
		);
		expect(n).toBe(1);
	});
});
