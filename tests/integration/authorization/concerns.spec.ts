// The confidential line (issue 26, item 4): a concern is visible to nobody but
// the space's facilitators and its sender, tried as every other person (a
// leader and a deputy, a member, a dialogue guest, an outsider, a removed
// member, a programme officer, anon) through every table, RPC, Realtime topic
// and bucket, and in the notifications; an anonymous sender is known to nobody,
// the facilitators included, and reads the answers with her one-time reference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationFor } from '$lib/push/payload';
import { startTestStack, type TestStack } from '../helpers/stack';
import { newId } from '../helpers/spaces';
import {
	claimAll,
	refusedWith,
	safetyWorld,
	subscribe,
	type SafetyCast,
	type SafetyWorld
} from '../helpers/safety';

let stack: TestStack;
let world: SafetyWorld;
let cast: SafetyCast;
let spaceId: string;
const SECRET = 'Quản đốc thu tiền để xếp ca';
const ANON_SECRET = 'Giám sát quấy rối công nhân nữ ca đêm';
let named: string;
let anonymous: string;
let reference: string;

type ConcernView = {
	id: string;
	body: string;
	anonymous: boolean;
	sender: string | null;
	status: string;
	messages: { body: string; from_facilitator: boolean; author: string | null }[];
};

/** Everyone who must see nothing. */
const others = () => [
	cast.leader,
	cast.deputy,
	cast.member,
	cast.guest,
	cast.outsider,
	cast.removed,
	cast.officer,
	cast.reporters[1]
];

beforeAll(async () => {
	stack = await startTestStack();
	world = await safetyWorld(stack);
	({ cast, spaceId } = world);
	await subscribe(cast.facilitator, spaceId);
	await subscribe(cast.author, spaceId);
	await subscribe(cast.reporters[0], spaceId);
	await claimAll(world.service);
	named = newId();
	const raised = await cast.author.client.rpc('raise_concern', {
		p_id: named,
		p_space: spaceId,
		p_body: SECRET,
		p_anonymous: false
	});
	expect(raised.error).toBeNull();
	anonymous = newId();
	const hidden = await cast.reporters[0].client.rpc('raise_concern', {
		p_id: anonymous,
		p_space: spaceId,
		p_body: ANON_SECRET,
		p_anonymous: true
	});
	expect(hidden.error).toBeNull();
	reference = (hidden.data as { reference: string }).reference;
	expect(reference).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}-[A-Z2-9]{5}$/);
}, 180_000);
afterAll(async () => {
	await stack?.stop();
});

describe('who may raise a concern', () => {
	it('members of the space; not guests, outsiders, removed members, staff or anon', async () => {
		for (const who of [cast.guest, cast.outsider, cast.removed, cast.officer]) {
			refusedWith(
				await who.client.rpc('raise_concern', {
					p_id: newId(),
					p_space: spaceId,
					p_body: 'x',
					p_anonymous: false
				}),
				'not_a_member'
			);
		}
		expect(
			(
				await cast.anon.client.rpc('raise_concern', {
					p_id: newId(),
					p_space: spaceId,
					p_body: 'x',
					p_anonymous: true
				})
			).error
		).not.toBeNull();
		// Five a day each.
		for (let i = 0; i < 4; i++) {
			expect(
				(
					await cast.member.client.rpc('raise_concern', {
						p_id: newId(),
						p_space: spaceId,
						p_body: `Lo ${i}`,
						p_anonymous: true
					})
				).error
			).toBeNull();
		}
		expect(
			(
				await cast.member.client.rpc('raise_concern', {
					p_id: newId(),
					p_space: spaceId,
					p_body: 'Lo 5',
					p_anonymous: false
				})
			).error
		).toBeNull();
		refusedWith(
			await cast.member.client.rpc('raise_concern', {
				p_id: newId(),
				p_space: spaceId,
				p_body: 'Lo 6',
				p_anonymous: false
			}),
			'too_many_concerns'
		);
	});
});

describe('nobody but the facilitators and the sender', () => {
	it('no table answers anyone through the API, the facilitators included', async () => {
		for (const who of [cast.facilitator, cast.author, ...others(), cast.anon]) {
			for (const table of ['concerns', 'concern_messages', 'concern_counts'] as const) {
				const { data } = await who.client.from(table).select('*');
				expect(data ?? [], `${table}`).toEqual([]);
			}
			const write = await who.client
				.from('concerns')
				.update({ status: 'closed' })
				.eq('id', named)
				.select('id');
			expect(write.data ?? []).toEqual([]);
			const forged = await who.client.from('concern_messages').insert({
				id: newId(),
				concern_id: named,
				from_facilitator: true,
				body: 'giả mạo'
			});
			expect(forged.error).not.toBeNull();
		}
		expect(await stack.sql('select status::text from public.concerns where id = $1', [named])).toEqual([
			{ status: 'received' }
		]);
	});

	it('the facilitators read every concern, the named sender’s name but never the anonymous one’s', async () => {
		const { data } = await cast.facilitator.client.rpc('space_concerns', { p_space: spaceId });
		const list = data as ConcernView[];
		expect(list.find((c) => c.id === named)).toMatchObject({
			body: SECRET,
			sender: 'Au Author',
			anonymous: false
		});
		const anon = list.find((c) => c.id === anonymous)!;
		expect(anon).toMatchObject({ body: ANON_SECRET, sender: null, anonymous: true });
		expect(JSON.stringify(anon)).not.toContain(cast.reporters[0].id);
		expect(JSON.stringify(anon)).not.toContain('Rp One');
		// Stored with no sender at all.
		expect(await stack.sql('select sender_id from public.concerns where id = $1', [anonymous])).toEqual([
			{ sender_id: null }
		]);
		// No other row written for it names her: not the audit log, not a notification, not a message.
		const traces = await stack.sql<{ n: number }>(
			`select (select count(*) from public.space_audit_log where actor_id = $1 or subject_id = $1)
			      + (select count(*) from public.push_jobs where user_id = $1 and dedupe_key like 'concern%')
			      + (select count(*) from public.concern_messages where author_id = $1) as n`,
			[cast.reporters[0].id]
		);
		expect(Number(traces[0].n)).toBe(0);
		expect(
			(await cast.facilitator.client.rpc('open_concern_count', { p_space: spaceId })).data
		).toBeGreaterThanOrEqual(2);
	});

	it('everyone else gets nothing from every function, and no topic or bucket carries it', async () => {
		for (const who of others()) {
			expect((await who.client.rpc('space_concerns', { p_space: spaceId })).data, who.email).toEqual([]);
			expect((await who.client.rpc('open_concern_count', { p_space: spaceId })).data).toBeNull();
			const mine = (await who.client.rpc('my_concerns', {})).data as ConcernView[];
			expect(JSON.stringify(mine)).not.toContain(SECRET);
			expect(JSON.stringify(mine)).not.toContain(ANON_SECRET);
			expect(
				(await who.client.rpc('concern_by_reference', { p_reference: 'AAAAA-BBBBB-CCCCC' })).data
			).toBeNull();
			refusedWith(
				await who.client.rpc('answer_concern', {
					p_id: newId(),
					p_concern: named,
					p_body: 'x',
					p_status: 'closed'
				}),
				'not_allowed'
			);
			refusedWith(
				await who.client.rpc('add_to_concern', {
					p_id: newId(),
					p_concern: named,
					p_reference: null as never,
					p_body: 'x'
				}),
				'not_allowed'
			);
			const searched = await who.client.rpc('search_space', { p_space: spaceId, p_query: 'Quản đốc' });
			expect(JSON.stringify(searched.data ?? [])).not.toContain(SECRET);
		}
		expect(
			(await cast.anon.client.rpc('concern_by_reference', { p_reference: reference })).data ?? null
		).toBeNull();
		// Realtime: nothing about a concern was broadcast on any topic; Storage: no bucket holds one.
		const broadcast = await stack.sql<{ n: number }>(
			`select count(*)::int as n from realtime.messages where payload::text like '%' || $1 || '%' or payload::text like '%' || $2 || '%'`,
			[named, anonymous]
		);
		expect(broadcast[0].n).toBe(0);
		const stored = await stack.sql<{ n: number }>(
			`select count(*)::int as n from storage.objects where name like '%' || $1 || '%' or name like '%' || $2 || '%'`,
			[named, anonymous]
		);
		expect(stored[0].n).toBe(0);
	});

	it('notifications say only the space: the facilitators hear of a concern, a named sender of the answer', async () => {
		const bundles = await claimAll(world.service);
		const toFacilitator = bundles.filter((b) => b.user_id === cast.facilitator.id && b.kind === 'concern');
		expect(toFacilitator.length).toBeGreaterThan(0);
		for (const bundle of toFacilitator) {
			expect(bundle.excerpt).toBeNull();
			expect(bundle.thread_title).toBeNull();
			expect(bundle.author_name).toBeNull();
			const shown = JSON.stringify(notificationFor(bundle));
			expect(shown).not.toContain('Quản đốc');
			expect(shown).not.toContain('quấy rối');
			expect(shown).toContain(`/spaces/${spaceId}/concerns`);
		}
		// Nobody else heard of it.
		expect(bundles.filter((b) => b.kind === 'concern' && b.user_id !== cast.facilitator.id)).toEqual([]);
		expect(
			(
				await cast.facilitator.client.rpc('answer_concern', {
					p_id: newId(),
					p_concern: named,
					p_body: 'Chúng tôi sẽ gặp chị.',
					p_status: 'in_review'
				})
			).error
		).toBeNull();
		expect(
			(
				await cast.facilitator.client.rpc('answer_concern', {
					p_id: newId(),
					p_concern: anonymous,
					p_body: 'Cảm ơn chị đã báo.',
					p_status: 'in_review'
				})
			).error
		).toBeNull();
		const answers = await claimAll(world.service);
		expect(answers.map((b) => [b.user_id, b.kind])).toEqual([[cast.author.id, 'concern_answer']]);
		expect(JSON.stringify(notificationFor(answers[0] as never))).not.toContain('gặp chị');
	});
});

describe('the sender', () => {
	it('named: reads her concern and the answers, writes back, and sees the status', async () => {
		const mine = (await cast.author.client.rpc('my_concerns', { p_space: spaceId })).data as ConcernView[];
		expect(mine).toHaveLength(1);
		expect(mine[0]).toMatchObject({ body: SECRET, status: 'in_review', sender: null });
		expect(mine[0].messages[0]).toMatchObject({ from_facilitator: true, author: 'Fa Facilitator' });
		expect(
			(
				await cast.author.client.rpc('add_to_concern', {
					p_id: newId(),
					p_concern: named,
					p_reference: null as never,
					p_body: 'Cảm ơn'
				})
			).error
		).toBeNull();
	});

	it('anonymous: the reference alone opens it; a facilitator guessing gets nothing; closed means closed', async () => {
		const viaReference = (
			await cast.reporters[0].client.rpc('concern_by_reference', {
				p_reference: reference.toLowerCase().replace(/-/g, ' ')
			})
		).data as ConcernView;
		expect(viaReference).toMatchObject({ body: ANON_SECRET, status: 'in_review' });
		expect(viaReference.messages.map((m) => m.body)).toEqual(['Cảm ơn chị đã báo.']);
		// Not listed among "my" concerns: nothing links her account to it.
		expect(JSON.stringify((await cast.reporters[0].client.rpc('my_concerns', {})).data)).not.toContain(
			ANON_SECRET
		);
		expect(
			(await cast.facilitator.client.rpc('concern_by_reference', { p_reference: 'ABCDE-FGHJK-MNPQR' })).data
		).toBeNull();
		expect(
			(
				await cast.reporters[0].client.rpc('add_to_concern', {
					p_id: newId(),
					p_concern: null as never,
					p_reference: reference,
					p_body: 'Thêm chi tiết'
				})
			).error
		).toBeNull();
		const seen = (await cast.facilitator.client.rpc('space_concerns', { p_space: spaceId }))
			.data as ConcernView[];
		const message = seen.find((c) => c.id === anonymous)!.messages.at(-1)!;
		expect(message).toMatchObject({ body: 'Thêm chi tiết', from_facilitator: false, author: null });
		expect(
			(
				await cast.facilitator.client.rpc('answer_concern', {
					p_id: newId(),
					p_concern: anonymous,
					p_body: '',
					p_status: 'closed'
				})
			).error
		).toBeNull();
		refusedWith(
			await cast.reporters[0].client.rpc('add_to_concern', {
				p_id: newId(),
				p_concern: null as never,
				p_reference: reference,
				p_body: 'Nữa'
			}),
			'concern_closed'
		);
		refusedWith(
			await cast.facilitator.client.rpc('answer_concern', {
				p_id: newId(),
				p_concern: anonymous,
				p_body: ' ',
				p_status: 'closed'
			}),
			'answer_required'
		);
	});
});
