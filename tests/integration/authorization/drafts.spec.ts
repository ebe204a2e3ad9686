// Drafts are the members' own: every role of the space reads and edits a
// draft, its log, comments and versions; a dialogue guest of the same space,
// an outsider, a removed member and anon read and write nothing of it, through
// the tables, every RPC and the draft:<id> channel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeChannel } from '@supabase/supabase-js';
import * as Y from 'yjs';
import { serviceClient, signedInUser, startTestStack, type Person, type TestStack } from '../helpers/stack';
import { newId, refusedOrNoRows } from '../helpers/spaces';
import { membersOf, signUpCast, spaceWithCast, type Cast } from '../helpers/cast';
import { conveneDialogue, inviteGuest } from '../helpers/dialogues';
import { createDraft, proposalDoc, push, typeInto } from '../drafts/helpers';
import { toBase64 } from '$lib/drafts/base64';
import { projectDoc } from '$lib/drafts/doc';
import { foldDraftLog } from '$lib/drafts/compact.server';

let stack: TestStack;
let cast: Cast;
let guest: Person;
let spaceId: string;
let draftId: string;
let commentId: string;
let versionId: string;
let removedsUpdate: string;
const doc = proposalDoc();

const strangers = () =>
	[
		['outsider', cast.outsider],
		['removed member', cast.removed],
		['dialogue guest', guest]
	] as const;
const everyone = () => [...strangers(), ['anon', cast.anon]] as const;

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack);
	guest = await signedInUser(stack, 'Bình Chủ Trọ');
	spaceId = await spaceWithCast(cast, async (space) => {
		draftId = await createDraft(cast.member, space, doc);
		// The soon-removed member edits and comments while still a member.
		removedsUpdate = newId();
		expect((await push(cast.removed, draftId, typeInto(doc, ' (cũ)'), removedsUpdate)).error).toBeNull();
	});
	const dialogue = await conveneDialogue(cast.facilitator, spaceId);
	await inviteGuest(cast.facilitator, guest, dialogue);
	commentId = newId();
	expect(
		(
			await cast.leader.client.from('draft_comments').insert({
				id: commentId,
				draft_id: draftId,
				section_id: 'background',
				body: 'Thêm số liệu?',
				created_by: cast.leader.id
			})
		).error
	).toBeNull();
	versionId = newId();
	expect(
		(
			await cast.member.client.rpc('save_draft_version', {
				p_id: versionId,
				p_draft: draftId,
				p_name: 'Gửi Live & Learn, 8/11'
			})
		).error
	).toBeNull();
});
afterAll(async () => {
	await stack?.stop();
});

describe('members', () => {
	it('every role reads the draft, catches up and pushes updates', async () => {
		for (const who of membersOf(cast)) {
			const { data } = await who.client.from('drafts').select('id, title, projection').eq('id', draftId);
			expect(data, who.email).toHaveLength(1);
			const caught = await who.client.rpc('draft_catch_up', { p_draft: draftId, p_after: -1 });
			expect(caught.data?.[0].snapshot, who.email).toBeTruthy();
			const pushed = await push(who, draftId, typeInto(doc, '.'));
			expect(pushed.error, who.email).toBeNull();
			expect(pushed.data).toBeGreaterThan(0);
		}
		expect((await cast.member.client.from('draft_versions').select('id')).data).toHaveLength(1);
		expect((await cast.deputy.client.from('draft_comments').select('id')).data).toHaveLength(1);
		expect((await cast.member.client.from('draft_history').select('scope')).data?.length).toBeGreaterThan(0);
	});

	it('a replayed update is stored once and gets the same number', async () => {
		const id = newId();
		const update = typeInto(doc, '!');
		const first = await push(cast.member, draftId, update, id);
		const again = await push(cast.member, draftId, update, id);
		expect(first.error).toBeNull();
		expect(again.data).toBe(first.data);
		const rows = await stack.sql('select seq from public.draft_updates where id = $1', [id]);
		expect(rows).toHaveLength(1);
	});

	it('oversized and unreadable updates are refused with their words', async () => {
		const big = await push(cast.member, draftId, new Uint8Array(131073).fill(7));
		expect(big.error?.message).toContain('update_too_large');
		const corrupt = await cast.member.client.rpc('push_draft_update', {
			p_id: newId(),
			p_draft: draftId,
			p_update: '***not base64***'
		});
		expect(corrupt.error?.message).toContain('corrupt_update');
	});

	it('members rename a draft but cannot touch its content or counters through the table', async () => {
		const renamed = await cast.deputy.client
			.from('drafts')
			.update({ title: 'Đề xuất 2024' })
			.eq('id', draftId)
			.select('title');
		expect(renamed.data).toEqual([{ title: 'Đề xuất 2024' }]);
		for (const change of [
			{ head_seq: 0 },
			{ snapshot_seq: 99 },
			{
				projection: {
					sections: [{ id: 'x', heading: 'Invented', content: [], text: 'Invented' }],
					budget: null,
					activities: []
				}
			},
			{ space_id: newId() }
		]) {
			const res = await cast.member.client.from('drafts').update(change).eq('id', draftId).select('id');
			expect(res.error?.message, JSON.stringify(change)).toContain('not_allowed');
		}
	});

	it('comments: replies take their comment’s section, one level only; only resolving changes afterwards', async () => {
		const replyId = newId();
		const reply = await cast.member.client
			.from('draft_comments')
			.insert({
				id: replyId,
				draft_id: draftId,
				section_id: 'objectives',
				parent_id: commentId,
				body: 'Đồng ý',
				created_by: cast.member.id
			})
			.select('section_id');
		expect(reply.error).toBeNull();
		const [row] = await stack.sql<{ section_id: string }>(
			'select section_id from public.draft_comments where id = $1',
			[replyId]
		);
		expect(row.section_id).toBe('background');
		const deeper = await cast.member.client.from('draft_comments').insert({
			id: newId(),
			draft_id: draftId,
			section_id: 'background',
			parent_id: replyId,
			body: 'x',
			created_by: cast.member.id
		});
		expect(deeper.error?.message).toContain('not_allowed');
		const edit = await cast.leader.client
			.from('draft_comments')
			.update({ body: 'Sửa' })
			.eq('id', commentId)
			.select('id');
		expect(edit.error?.message).toContain('not_allowed');
		const resolved = await cast.member.client
			.from('draft_comments')
			.update({ resolved_at: new Date().toISOString() })
			.eq('id', commentId)
			.select('resolved_by');
		expect(resolved.data).toEqual([{ resolved_by: cast.member.id }]);
		const reopened = await cast.deputy.client
			.from('draft_comments')
			.update({ resolved_at: null })
			.eq('id', commentId)
			.select('resolved_by');
		expect(reopened.data).toEqual([{ resolved_by: null }]);
	});

	it('compaction: only the compactor (service_role), only on the snapshot it was built on, and the log becomes history', async () => {
		// No person can call it: not with the arguments it takes, nor stage its pieces.
		for (const who of membersOf(cast)) {
			const call = await who.client.rpc('compact_draft', {
				p_draft: draftId,
				p_from_seq: 0,
				p_up_to_seq: 0,
				p_token: newId(),
				p_parts: 1
			});
			expect(call.error?.code).toBe('42501');
			const stage = await who.client.rpc('stage_draft_compaction', {
				p_token: newId(),
				p_part: 0,
				p_data: '{}'
			});
			expect(stage.error?.code).toBe('42501');
			expect((await who.client.rpc('drafts_to_compact', {})).error?.code).toBe('42501');
		}
		const service = serviceClient(stack);
		const [{ head_seq: head, snapshot_seq: from }] = await stack.sql<{
			head_seq: string;
			snapshot_seq: string;
		}>('select head_seq, snapshot_seq from public.drafts where id = $1', [draftId]);
		const staged = async () => {
			const token = newId();
			const payload = JSON.stringify({
				snapshot: toBase64(Y.encodeStateAsUpdate(doc)),
				projection: projectDoc(doc)
			});
			expect(
				(await service.rpc('stage_draft_compaction', { p_token: token, p_part: 0, p_data: payload })).error
			).toBeNull();
			return token;
		};
		const past = await service.rpc('compact_draft', {
			p_draft: draftId,
			p_token: await staged(),
			p_parts: 1,
			p_from_seq: Number(from),
			p_up_to_seq: Number(head) + 5
		});
		expect(past.error?.message).toContain('bad_sequence');
		const stale = await service.rpc('compact_draft', {
			p_draft: draftId,
			p_token: await staged(),
			p_parts: 1,
			p_from_seq: Number(from) + 1,
			p_up_to_seq: Number(head)
		});
		expect(stale.data).toBe(false);
		const missingPart = await service.rpc('compact_draft', {
			p_draft: draftId,
			p_token: await staged(),
			p_parts: 2,
			p_from_seq: Number(from),
			p_up_to_seq: Number(head)
		});
		expect(missingPart.error?.message).toContain('bad_projection');
		expect(await foldDraftLog(service, draftId)).toBe(true);
		expect(
			await stack.sql('select 1 from public.draft_updates where draft_id = $1 and data is not null', [
				draftId
			])
		).toHaveLength(0);
		const history = await stack.sql<{ user_id: string }>(
			"select user_id from public.draft_history where draft_id = $1 and scope = 'section:background'",
			[draftId]
		);
		expect(history.map((h) => h.user_id)).toContain(cast.removed.id);
		const [{ budget_total }] = await stack.sql<{ budget_total: string }>(
			'select budget_total::text from public.drafts where id = $1',
			[draftId]
		);
		expect(budget_total).toBe('3000000.0000');
	});

	it('templates: facilitators for their space, curators for the network; members neither', async () => {
		const denied = await cast.member.client.rpc('save_draft_as_template', {
			p_id: newId(),
			p_draft: draftId,
			p_title: 'Mẫu'
		});
		expect(denied.error?.message).toContain('not_allowed');
		const spaceTemplate = newId();
		expect(
			(
				await cast.facilitator.client.rpc('save_draft_as_template', {
					p_id: spaceTemplate,
					p_draft: draftId,
					p_title: 'Mẫu CoP'
				})
			).error
		).toBeNull();
		const network = await cast.facilitator.client.rpc('save_draft_as_template', {
			p_id: newId(),
			p_draft: draftId,
			p_title: 'Mẫu chung',
			p_network: true
		});
		expect(network.error?.message).toContain('not_allowed');
		await stack.sql('insert into public.library_curators (user_id) values ($1)', [cast.leader.id]);
		const networkTemplate = newId();
		expect(
			(
				await cast.leader.client.rpc('save_draft_as_template', {
					p_id: networkTemplate,
					p_draft: draftId,
					p_title: 'Mẫu chung',
					p_network: true
				})
			).error
		).toBeNull();
		expect((await cast.member.client.from('draft_templates').select('id')).data).toHaveLength(2);
		expect(
			(await cast.member.client.rpc('draft_template_snapshot', { p_template: spaceTemplate })).data
		).toBeTruthy();
		for (const [name, who] of everyone()) {
			expect((await who.client.from('draft_templates').select('id')).data ?? [], name).toEqual([]);
			expect(
				(await who.client.rpc('draft_template_snapshot', { p_template: spaceTemplate })).data ?? null,
				name
			).toBeNull();
		}
	});
});

describe('guests, outsiders, removed members and anon', () => {
	it('read nothing of the draft, its log, comments, versions or history', async () => {
		for (const [name, who] of everyone()) {
			for (const table of [
				'drafts',
				'draft_updates',
				'draft_comments',
				'draft_versions',
				'draft_history'
			] as const) {
				const { data } = await who.client.from(table).select('*');
				expect(data ?? [], `${name} ${table}`).toEqual([]);
			}
			expect(
				(await who.client.rpc('draft_catch_up', { p_draft: draftId, p_after: -1 })).data ?? [],
				name
			).toEqual([]);
			expect(
				(await who.client.rpc('draft_version_snapshot', { p_version: versionId })).data ?? null,
				name
			).toBeNull();
			expect((await who.client.rpc('can_edit_draft', { p_draft: draftId })).data ?? false, name).toBe(false);
		}
	});

	it('write nothing: no draft, update, compaction, comment, resolve, version, restore note, rename or delete', async () => {
		const before = await stack.sql('select title, head_seq, snapshot_seq from public.drafts where id = $1', [
			draftId
		]);
		for (const [name, who] of everyone()) {
			const refusals = [
				await who.client.rpc('create_draft', {
					p_id: newId(),
					p_space: spaceId,
					p_kind: 'budget',
					p_title: 'X',
					p_language: 'vi',
					p_content: toBase64(Y.encodeStateAsUpdate(new Y.Doc())) || 'AAA='
				}),
				await push(who as Person, draftId, typeInto(proposalDoc(), 'chen ngang')),
				await who.client.rpc('compact_draft', {
					p_draft: draftId,
					p_from_seq: 0,
					p_up_to_seq: 0,
					p_token: newId(),
					p_parts: 1
				}),
				await who.client.rpc('draft_awareness', { p_draft: draftId, p_state: 'AQ==' }),
				await who.client.rpc('save_draft_version', { p_id: newId(), p_draft: draftId, p_name: 'X' }),
				await who.client.rpc('note_draft_restore', { p_draft: draftId, p_version: versionId }),
				await who.client.rpc('save_draft_as_template', { p_id: newId(), p_draft: draftId, p_title: 'X' })
			];
			refusals.forEach((res, i) => expect(res.error, `${name} rpc ${i}`).not.toBeNull());
			const comment = await who.client.from('draft_comments').insert({
				id: newId(),
				draft_id: draftId,
				section_id: 'background',
				body: 'Xin chào',
				created_by: 'id' in who ? who.id : undefined
			});
			expect(comment.error, name).not.toBeNull();
			expect(
				refusedOrNoRows(
					await who.client
						.from('draft_comments')
						.update({ resolved_at: 'now' })
						.eq('id', commentId)
						.select('id')
				),
				name
			).toBe(true);
			expect(
				refusedOrNoRows(await who.client.from('draft_comments').delete().eq('id', commentId).select('id')),
				name
			).toBe(true);
			expect(
				refusedOrNoRows(
					await who.client.from('drafts').update({ title: 'Của tôi' }).eq('id', draftId).select('id')
				),
				name
			).toBe(true);
			expect(
				refusedOrNoRows(await who.client.from('drafts').delete().eq('id', draftId).select('id')),
				name
			).toBe(true);
			expect(
				refusedOrNoRows(await who.client.from('draft_updates').delete().eq('draft_id', draftId).select('id')),
				name
			).toBe(true);
			expect(
				refusedOrNoRows(
					await who.client.from('draft_versions').delete().eq('draft_id', draftId).select('id')
				),
				name
			).toBe(true);
		}
		expect(
			await stack.sql('select title, head_seq, snapshot_seq from public.drafts where id = $1', [draftId])
		).toEqual(before);
		expect(await stack.sql('select 1 from public.draft_comments where id = $1', [commentId])).toHaveLength(1);
		expect(
			await stack.sql('select 1 from public.draft_versions where draft_id = $1', [draftId])
		).toHaveLength(1);
	});

	it('the removed member’s earlier edit stays; their id cannot be replayed into another draft', async () => {
		const other = await createDraft(cast.member, spaceId);
		const replay = await push(cast.member, other, typeInto(proposalDoc(), 'x'), removedsUpdate);
		expect(replay.error).not.toBeNull();
	});
});

describe('the draft:<id> channel', () => {
	const subscribe = (who: { client: Person['client'] }, topic: string) =>
		new Promise<{ status: string; channel: RealtimeChannel }>((resolve) => {
			const channel = who.client.channel(topic, { config: { private: true } });
			channel.subscribe((status) => {
				if (status !== 'CLOSED') resolve({ status, channel });
			});
		});

	it("members join and listen; only the database speaks: nobody's send reaches anyone, members' included", async () => {
		const topic = `draft:${draftId}`;
		const member = await subscribe(cast.member, topic);
		expect(member.status).toBe('SUBSCRIBED');
		const got: { event: string; payload: Record<string, unknown> }[] = [];
		member.channel.on('broadcast', { event: '*' }, (m) => got.push(m as unknown as (typeof got)[number]));
		const leader = await subscribe(cast.leader, topic);
		expect(leader.status).toBe('SUBSCRIBED');
		// The attack: a phantom update with the next number, a "stored" nudge, a cursor in someone else's name.
		const [{ head_seq }] = await stack.sql<{ head_seq: string }>(
			'select head_seq from public.drafts where id = $1',
			[draftId]
		);
		await leader.channel.send({
			type: 'broadcast',
			event: 'update',
			payload: { id: newId(), seq: Number(head_seq) + 1, u: 'AAA=', by: cast.member.id, from: 'leader' }
		});
		await leader.channel.send({ type: 'broadcast', event: 'stored', payload: { from: 'leader' } });
		await leader.channel.send({
			type: 'broadcast',
			event: 'awareness',
			payload: { from: 'leader', a: 'AQ==' }
		});
		for (const [name, who] of everyone()) {
			const refused = await subscribe(who, topic);
			expect(refused.status, name).not.toBe('SUBSCRIBED');
			await refused.channel.send({ type: 'broadcast', event: 'update', payload: { from: name } });
			await who.client.removeChannel(refused.channel);
		}
		// What the database announces arrives, with the author it stored.
		const stored = newId();
		expect((await push(cast.leader, draftId, typeInto(doc, '!'), stored)).error).toBeNull();
		await new Promise((r) => setTimeout(r, 800));
		expect(got.filter((m) => m.payload.from)).toEqual([]);
		const announced = got.find((m) => m.event === 'update' && m.payload.id === stored);
		expect(announced?.payload).toMatchObject({ seq: Number(head_seq) + 1, by: cast.leader.id });
		await cast.member.client.removeChannel(member.channel);
		await cast.leader.client.removeChannel(leader.channel);
	});
});
