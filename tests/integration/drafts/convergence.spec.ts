// Co-editing through the real stack: DraftSync (the editor's own sync code)
// in two and three clients with real supabase-js (RPCs + Realtime). One
// client is offline part of the time and edits on both sides; one member is
// removed mid-way and keeps typing. Everyone left ends with the same
// document, with every allowed edit and none of the refused ones, and the
// server's compacted document is the same too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { serviceClient, startTestStack, type Person, type TestStack } from '../helpers/stack';
import { invitePerson, newId, removeMember } from '../helpers/spaces';
import { signUpCast, type Cast } from '../helpers/cast';
import { createSpace } from '../helpers/spaces';
import { createDraft, proposalDoc, push, typeInto } from './helpers';
import { DraftSync, type SyncState } from '$lib/drafts/sync';
import { supabaseApi } from '$lib/drafts/api';
import { budgetOf, newLine, projectDoc, sectionsOf } from '$lib/drafts/doc';
import { budgetTotals } from '$lib/drafts/money';
import { foldDraftLog, loadDraftDoc, restoreVersion } from '$lib/drafts/compact.server';

let stack: TestStack;
let cast: Cast;
let spaceId: string;

async function until(
	check: () => boolean,
	what: string,
	timeoutMs = 15_000,
	debug: () => unknown = () => ''
) {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} ${JSON.stringify(debug())}`);
		await new Promise((r) => setTimeout(r, 25));
	}
}

/** A client that can be cut off: its RPCs fail like a dropped network and its socket closes. */
function editor(who: Person, draftId: string) {
	const client = who.client;
	const net = { offline: false };
	const rpc = client.rpc.bind(client);
	(client as unknown as { rpc: unknown }).rpc = (...args: Parameters<typeof rpc>) =>
		net.offline ? Promise.reject(new TypeError('fetch failed')) : rpc(...args);
	const doc = new Y.Doc();
	const states: SyncState[] = [];
	const sync = new DraftSync({
		doc,
		draftId,
		api: supabaseApi(client, draftId),
		flushDelayMs: 20,
		onState: (s) => states.push(s)
	});
	return {
		doc,
		sync,
		states,
		text: (i = 0) => (sectionsOf(doc).get(i).get('body') as Y.XmlFragment).toJSON(),
		type: (text: string, i = 0) => {
			const paragraph = (sectionsOf(doc).get(i).get('body') as Y.XmlFragment).get(0) as Y.XmlElement;
			let node = paragraph.get(0) as Y.XmlText | undefined;
			if (!node) {
				node = new Y.XmlText();
				paragraph.insert(0, [node]);
			}
			node.insert(node.length, text);
		},
		goOffline: () => {
			net.offline = true;
			void client.realtime.disconnect();
		},
		goOnline: () => {
			net.offline = false;
			void client.realtime.connect();
			sync.online();
		}
	};
}

const same = (a: Y.Doc, b: Y.Doc) => JSON.stringify(projectDoc(a)) === JSON.stringify(projectDoc(b));

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack);
	spaceId = await createSpace(cast.facilitator);
	await invitePerson(cast.facilitator, cast.member, spaceId, 'member');
	await invitePerson(cast.facilitator, cast.leader, spaceId, 'leader');
	await invitePerson(cast.facilitator, cast.removed, spaceId, 'member');
});
afterAll(async () => {
	await stack?.stop();
});

describe('two clients', () => {
	it('see each other’s typing live, both type in the same sentence, one offline for a while; both converge', async () => {
		const draftId = await createDraft(cast.member, spaceId);
		const a = editor(cast.member, draftId);
		const b = editor(cast.leader, draftId);
		await Promise.all([a.sync.start(), b.sync.start()]);
		a.type(' A1');
		await until(() => b.text().includes('A1'), 'B sees A1');
		b.type(' B1');
		await until(() => a.text().includes('B1'), 'A sees B1');
		// The same sentence at the same moment.
		a.type(' cùng');
		b.type(' lúc');
		await until(
			() => same(a.doc, b.doc) && a.text().includes('cùng') && a.text().includes('lúc'),
			'same sentence merged'
		);
		// The same budget cell at the same moment: one value wins for both.
		const cell = (doc: Y.Doc) =>
			(
				(budgetOf(doc).get('groups') as Y.Array<Y.Map<unknown>>).get(0).get('lines') as Y.Array<
					Y.Map<unknown>
				>
			).get(0);
		cell(a.doc).set('quantity', '3');
		cell(b.doc).set('quantity', '4');
		await until(
			() => same(a.doc, b.doc) && ['3', '4'].includes(String(cell(a.doc).get('quantity'))),
			'cell settled'
		);
		a.goOffline();
		a.type(' offline-A');
		(
			(budgetOf(a.doc).get('groups') as Y.Array<Y.Map<unknown>>).get(0).get('lines') as Y.Array<
				Y.Map<unknown>
			>
		).push([newLine({ description: 'Nước uống', quantity: '20', unit: 'chai', unit_cost: '5000' })]);
		b.type(' online-B', 1);
		await new Promise((r) => setTimeout(r, 600));
		expect(a.text(1)).not.toContain('online-B');
		expect(b.text()).not.toContain('offline-A');
		a.goOnline();
		await until(
			() => same(a.doc, b.doc) && b.text().includes('offline-A') && a.text(1).includes('online-B'),
			'converged',
			15_000,
			() => [a.text(), a.text(1), b.text(), b.text(1), a.states, b.states, a.sync.lastSeq, b.sync.lastSeq]
		);
		await until(() => a.sync.idle && b.sync.idle, 'idle');
		const totals = [a.doc, b.doc].map((d) => budgetTotals(projectDoc(d).budget!).total);
		expect(totals[0]).toBe(totals[1]);
		// The server's view (the log applied to the snapshot) is the same document.
		await foldDraftLog(serviceClient(stack), draftId);
		const server = await loadDraftDoc(cast.member.client, draftId);
		expect(JSON.stringify(projectDoc(server!.doc))).toBe(JSON.stringify(projectDoc(a.doc)));
		a.sync.stop();
		b.sync.stop();
	});
});

describe('an editor whose channel joins late', () => {
	// In the browser the editor opens on the first catch-up while realtime-js and
	// the access token are still on their way (src/lib/drafts/editor/start.svelte.ts).
	it('opens and stores what is typed before the join; what others stored meanwhile arrives with the join', async () => {
		const draftId = await createDraft(cast.member, spaceId);
		const other = editor(cast.leader, draftId);
		await other.sync.start();
		const api = supabaseApi(cast.member.client, draftId);
		let release!: () => void;
		const released = new Promise<void>((resolve) => (release = resolve));
		let channelsAsked = 0;
		const doc = new Y.Doc();
		const late = new DraftSync({
			doc,
			draftId,
			api: {
				...api,
				channel: async (topic) => {
					channelsAsked++;
					await released;
					return api.channel(topic);
				}
			},
			flushDelayMs: 20,
			pollMs: 600_000 // no polling: only the join can bring the others' changes
		});
		const text = () => (sectionsOf(doc).get(0).get('body') as Y.XmlFragment).toJSON();
		await late.start();
		expect(channelsAsked).toBe(1);
		expect(late.state).not.toBe('no_access');
		typeInto(doc, ' trước khi kết nối');
		await until(() => other.text().includes('trước khi kết nối'), 'the other editor gets it');
		other.type(' trong lúc chờ');
		await until(() => other.sync.idle, 'the other editor stored its change');
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(text()).not.toContain('trong lúc chờ'); // no channel yet, no poll: nothing brought it
		release();
		await until(() => text().includes('trong lúc chờ'), 'the join catches up');
		other.type(' sau đó');
		await until(() => text().includes('sau đó'), 'live after the join');
		expect(same(doc, other.doc)).toBe(true);
		late.stop();
		other.sync.stop();
	});

	it('stopped before its channel arrives: the channel is let go when it comes', async () => {
		const draftId = await createDraft(cast.member, spaceId);
		const client = cast.member.client;
		const api = supabaseApi(client, draftId);
		let release!: () => void;
		const released = new Promise<void>((resolve) => (release = resolve));
		const topic = `draft:${draftId}`;
		const joined = () => client.getChannels().filter((c) => c.topic === `realtime:${topic}`).length;
		const late = new DraftSync({
			doc: new Y.Doc(),
			draftId,
			api: { ...api, channel: async (t) => (await released, api.channel(t)) },
			pollMs: 600_000
		});
		await late.start();
		late.stop();
		release();
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(joined()).toBe(0);
	});
});

describe('three clients', () => {
	it('one offline part of the time, one removed mid-way: the others converge without the refused edits', async () => {
		const draftId = await createDraft(cast.member, spaceId);
		const a = editor(cast.member, draftId);
		const b = editor(cast.leader, draftId);
		const c = editor(cast.removed, draftId);
		await Promise.all([a.sync.start(), b.sync.start(), c.sync.start()]);
		a.type(' [A-before]');
		b.type(' [B-before]', 1);
		c.type(' [C-allowed]');
		await until(
			() =>
				[a, b, c].every(
					(e) =>
						e.text().includes('[C-allowed]') &&
						e.text().includes('[A-before]') &&
						e.text(1).includes('[B-before]')
				),
			'all see the first edits',
			15_000,
			() => [a, b, c].map((e) => [e.text(), e.text(1), e.states, e.sync.lastSeq])
		);
		await until(() => c.sync.idle, 'C stored');
		b.goOffline();
		b.type(' [B-offline]');
		await removeMember(cast.facilitator, cast.removed, spaceId);
		c.type(' [C-refused]');
		a.type(' [A-during]', 1);
		await until(() => c.states.includes('no_access'), 'C told it may no longer edit');
		b.goOnline();
		await until(
			() => same(a.doc, b.doc) && a.text().includes('[B-offline]') && b.text(1).includes('[A-during]'),
			'A and B converge'
		);
		await until(() => a.sync.idle && b.sync.idle, 'idle');
		await new Promise((r) => setTimeout(r, 500));
		for (const e of [a, b]) {
			const all = e.text() + e.text(1);
			for (const allowed of ['[A-before]', '[B-before]', '[C-allowed]', '[B-offline]', '[A-during]'])
				expect(all).toContain(allowed);
			expect(all).not.toContain('[C-refused]');
		}
		expect(same(a.doc, b.doc)).toBe(true);
		const server = await loadDraftDoc(cast.member.client, draftId);
		expect(JSON.stringify(projectDoc(server!.doc))).toBe(JSON.stringify(projectDoc(a.doc)));
		// C can still read nothing, and its refused text is nowhere in the log.
		const rows = await stack.sql<{ n: number }>(
			"select count(*)::int as n from public.draft_updates where draft_id = $1 and created_by = $2 and encode(data, 'escape') like '%C-refused%'",
			[draftId, cast.removed.id]
		);
		expect(rows[0].n).toBe(0);
		for (const e of [a, b, c]) e.sync.stop();
	});

	it('replaying the same updates twice stores them once', async () => {
		const draftId = await createDraft(cast.member, spaceId);
		const doc = proposalDoc();
		const ids = [newId(), newId(), newId()];
		const updates = ids.map((_, i) => typeInto(doc, `x${i}`));
		for (let round = 0; round < 2; round++) {
			for (const [i, id] of ids.entries())
				expect((await push(cast.member, draftId, updates[i], id)).error).toBeNull();
		}
		const rows = await stack.sql<{ n: number }>(
			"select count(*)::int as n from public.draft_updates where draft_id = $1 and scope <> 'create'",
			[draftId]
		);
		expect(rows[0].n).toBe(3);
	});
});

describe('restoring a version', () => {
	it('is a new change everyone receives while they type; sections it does not change keep what is typed', async () => {
		const draftId = await createDraft(cast.member, spaceId);
		const a = editor(cast.member, draftId);
		const b = editor(cast.leader, draftId);
		await Promise.all([a.sync.start(), b.sync.start()]);
		a.type(' [v1]');
		await until(() => a.sync.idle && b.text().includes('[v1]'), 'v1 everywhere');
		await foldDraftLog(serviceClient(stack), draftId);
		const versionId = newId();
		const saved = await cast.member.client.rpc('save_draft_version', {
			p_id: versionId,
			p_draft: draftId,
			p_name: 'Gửi Live & Learn'
		});
		expect(saved.error).toBeNull();
		a.type(' [after-v1]');
		await until(() => a.sync.idle && b.text().includes('[after-v1]'), 'after-v1 everywhere');
		// B types in the second section while the first is restored on the server.
		const restoring = restoreVersion(cast.member.client, draftId, versionId);
		b.type(' [typed-during-restore]', 1);
		expect((await restoring).error).toBeNull();
		await until(
			() =>
				same(a.doc, b.doc) &&
				!a.text().includes('[after-v1]') &&
				a.text(1).includes('[typed-during-restore]'),
			'restored for both, the other section kept',
			15_000,
			() => [a.text(), a.text(1), b.text(), b.text(1)]
		);
		expect(a.text()).toContain('[v1]');
		const history = await cast.leader.client
			.from('draft_history')
			.select('scope, note')
			.eq('draft_id', draftId);
		expect(history.data).toContainEqual({ scope: 'restore', note: 'Gửi Live & Learn' });
		a.sync.stop();
		b.sync.stop();
	});
});
