// Programme figures (issue 27), tried as a programme officer, a facilitator, a
// member, a dialogue guest, an outsider and anon:
// - the officer's figures equal counts computed here directly from the tables;
// - small broken-down counts come back as null ("fewer than 5") from the
//   database itself, a sensitive space gives totals only;
// - the officer reads nothing of a space she is not a member of: every table
//   and view, every RPC callable by a signed-in person (called with that
//   space's ids), its Realtime topics and its Storage objects; she reads the
//   space she is a member of as any member does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { signedInUser, startTestStack, type Person, type TestStack } from '../helpers/stack';
import { createSpace, invitePerson, newId } from '../helpers/spaces';
import { signUpCast, spaceWithCast, type Cast } from '../helpers/cast';
import { conveneDialogue, inviteGuest } from '../helpers/dialogues';
import { addFile, storage } from '../library/helpers';
import { createDraft } from '../drafts/helpers';

let stack: TestStack;
let cast: Cast;
let curator: Person;
let officer: Person;
let guest: Person;
let ownFacilitator: Person;
let leaver: Person;
let spaceA: string; // the officer is not a member
let ownSpace: string; // the officer is a member
let sensitiveSpace: string;
let threadA: string;
let dialogueA: string;
let anonymousPost: string;
let draftA: string;
let file: { resourceId: string; fileId: string; path: string };
let ownThread: string;
const SECRET = 'SECRET-A-chuyen-rieng';
const today = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
const yearAgo = () => new Date(Date.now() + 7 * 3600_000 - 360 * 86_400_000).toISOString().slice(0, 10);

type Figure = {
	total: number | null;
	months: Record<string, number | null>;
	breakdown: Record<string, number | null>;
};
type Result = {
	network: Record<string, Figure> | null;
	spaces: { id: string; name: string; sensitive: boolean; figures: Record<string, Figure> }[];
	period: { from: string; to: string; months: string[]; clamped: boolean };
};
const figures = async (
	who: { client: SupabaseClient },
	space: string | null,
	from = yearAgo(),
	to = today()
) =>
	who.client.rpc('programme_figures', {
		...(space ? { p_space: space } : {}),
		p_from: from,
		p_to: to
	}) as unknown as Promise<{
		data: Result | null;
		error: { message: string } | null;
	}>;
const count = async (query: string, params: unknown[] = []) =>
	Number((await stack.sql<{ n: number }>(`select count(*)::int as n from (${query}) x`, params))[0].n);

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack);
	[curator, officer, guest, ownFacilitator, leaver] = await Promise.all([
		signedInUser(stack, 'Cu Curator'),
		signedInUser(stack, 'Pa Programme Officer'),
		signedInUser(stack, 'Bình Chủ Trọ'),
		signedInUser(stack, 'Ow Own Facilitator'),
		signedInUser(stack, 'Le Leaver')
	]);
	// The network's first curator is the operator's to name (as in the demo data).
	await stack.sql('insert into public.library_curators (user_id) values ($1)', [curator.id]);
	expect((await curator.client.rpc('grant_programme_role', { p_email: officer.email })).error).toBeNull();

	spaceA = await spaceWithCast(cast, async (space) => {
		threadA = newId();
		const started = await cast.member.client.rpc('start_thread', {
			p_space: space,
			p_title: `${SECRET} tiêu đề`,
			p_body: `${SECRET} nội dung`,
			p_topic: 'club_life',
			p_id: threadA
		});
		expect(started.error).toBeNull();
		await cast.removed.client
			.from('posts')
			.insert({ thread_id: threadA, space_id: space, body: `${SECRET} trả lời` });
	});
	await invitePerson(cast.facilitator, leaver, spaceA);
	expect(
		(await leaver.client.from('space_members').delete().eq('space_id', spaceA).eq('user_id', leaver.id)).error
	).toBeNull();
	for (let i = 0; i < 6; i++)
		await cast.leader.client
			.from('posts')
			.insert({ thread_id: threadA, space_id: spaceA, body: `${SECRET} ${i}` });
	const removedPost = newId();
	await cast.member.client
		.from('posts')
		.insert({ id: removedPost, thread_id: threadA, space_id: spaceA, body: 'gỡ' });
	await cast.member.client
		.from('posts')
		.update({ deleted_at: new Date().toISOString() })
		.eq('id', removedPost);

	dialogueA = await conveneDialogue(cast.facilitator, spaceA);
	await cast.facilitator.client.from('dialogues').update({ status: 'open' }).eq('id', dialogueA);
	await inviteGuest(cast.facilitator, guest, dialogueA, { type: 'landlord' });
	anonymousPost = newId();
	expect(
		(
			await cast.member.client.rpc('post_anonymously', {
				p_id: anonymousPost,
				p_dialogue: dialogueA,
				p_body: `${SECRET} ẩn danh`
			})
		).error
	).toBeNull();
	for (const description of ['Sửa cổng', 'Giảm giá điện'])
		expect(
			(
				await cast.facilitator.client.rpc('agree_action', {
					p_id: newId(),
					p_dialogue: dialogueA,
					p_description: `${SECRET} ${description}`,
					p_owner_kind: 'club'
				})
			).error
		).toBeNull();
	file = await addFile(cast.member, spaceA, `${SECRET} sổ tay`);
	draftA = await createDraft(cast.member, spaceA, undefined, `${SECRET} đề xuất`);

	ownSpace = await createSpace(ownFacilitator, { name: 'CoP-Own' });
	await invitePerson(ownFacilitator, officer, ownSpace);
	ownThread = newId();
	expect(
		(
			await ownFacilitator.client.rpc('start_thread', {
				p_space: ownSpace,
				p_title: 'Chủ đề của CoP-Own',
				p_body: 'Cán bộ chương trình đọc được',
				p_topic: 'other',
				p_id: ownThread
			})
		).error
	).toBeNull();
	sensitiveSpace = await createSpace(cast.facilitator, { name: 'CLB nhạy cảm' });
	await cast.facilitator.client.from('spaces').update({ sensitive: true }).eq('id', sensitiveSpace);
	await invitePerson(cast.facilitator, cast.member, sensitiveSpace);
	await cast.member.client.rpc('start_thread', {
		p_space: sensitiveSpace,
		p_title: 'Riêng',
		p_body: 'Riêng tư',
		p_topic: 'other',
		p_id: newId()
	});
}, 240_000);
afterAll(async () => {
	for (const who of [officer, cast.facilitator]) await who?.client.removeAllChannels();
	await stack?.stop();
});

describe('who may ask for figures', () => {
	it('the officer: the network and any space; a space deleted meanwhile is said to be gone', async () => {
		const network = await figures(officer, null);
		expect(network.error).toBeNull();
		expect(network.data!.spaces.map((s) => s.id).sort()).toEqual([spaceA, ownSpace, sensitiveSpace].sort());
		expect((await figures(officer, spaceA)).error).toBeNull();
		const gone = await createSpace(ownFacilitator, { name: 'Sắp xoá' });
		await stack.sql('delete from public.spaces where id = $1', [gone]);
		expect((await figures(officer, gone)).error?.message).toContain('space_not_found');
		expect((await figures(officer, null)).data!.network!.spaces_deleted.total).toBe(1);
	});

	it('a facilitator: their own space only; member, leader, guest, outsider, removed member: nothing; anon: refused', async () => {
		expect((await figures(cast.facilitator, spaceA)).error).toBeNull();
		expect((await figures(cast.facilitator, null)).error?.message).toContain('not_allowed');
		expect((await figures(cast.facilitator, ownSpace)).error?.message).toContain('not_allowed');
		for (const [name, who] of [
			['leader', cast.leader],
			['member', cast.member],
			['guest', guest],
			['outsider', cast.outsider],
			['removed', cast.removed]
		] as const) {
			for (const space of [spaceA, null]) {
				const res = await figures(who, space);
				expect(res.data, name).toBeNull();
				expect(res.error?.message, name).toContain('not_allowed');
			}
		}
		const anon = await figures(cast.anon, spaceA);
		expect(anon.data).toBeNull();
		expect(anon.error).not.toBeNull();
		// A space that does not exist looks the same as one not theirs.
		expect((await figures(cast.facilitator, newId())).error?.message).toContain('not_allowed');
	});

	it('only curators grant and take back the role; the officer cannot grant it', async () => {
		for (const who of [officer, cast.facilitator, cast.outsider]) {
			expect(
				(await who.client.rpc('grant_programme_role', { p_email: cast.outsider.email })).error?.message
			).toContain('not_allowed');
			const insert = await who.client
				.from('programme_officers')
				.insert({ user_id: who.id, added_by: who.id })
				.select();
			expect(insert.error).not.toBeNull();
		}
		expect(
			(await curator.client.rpc('grant_programme_role', { p_email: 'nobody@example.org' })).error?.message
		).toContain('no_such_account');
		expect(await count('select 1 from public.programme_officers')).toBe(1);
		const list = await officer.client.rpc('programme_officer_list');
		expect(list.data ?? []).toEqual([]);
		expect((await curator.client.rpc('programme_officer_list')).data?.map((o) => o.user_id)).toEqual([
			officer.id
		]);
	});

	it('the period is checked by the database: reversed, future, too long', async () => {
		expect((await figures(officer, null, '2026-03-01', '2026-02-01')).error?.message).toContain(
			'period_reversed'
		);
		expect((await figures(officer, null, '2999-01-01', '2999-02-01')).error?.message).toContain(
			'period_future'
		);
		expect((await figures(officer, null, '2020-01-01', today())).error?.message).toContain('period_too_long');
		const clamped = await figures(officer, null, yearAgo(), '2999-01-01');
		expect(clamped.data!.period).toMatchObject({ to: today(), clamped: true });
	});
});

describe("the officer's figures equal the tables' counts", () => {
	it('members, messages, dialogues, actions, library and drafts of a space she is not in', async () => {
		const { data, error } = await figures(officer, spaceA);
		expect(error).toBeNull();
		const f = data!.spaces[0].figures;
		const total = (key: string) => f[key]?.total ?? 0;
		// A count of 1 to 4 with nothing larger in its row (here: everything in one
		// month) is hidden whole, total included ("fewer than 5"): the table's count says it is one.
		const small = async (key: string, query: string, params: unknown[] = []) => {
			expect(f[key]?.total, key).toBeNull();
			const n = await count(query, params);
			expect(n, key).toBeGreaterThanOrEqual(1);
			expect(n, key).toBeLessThanOrEqual(4);
		};
		expect(total('members')).toBe(
			await count('select 1 from public.space_members where space_id = $1', [spaceA])
		);
		expect(total('members')).toBe(4);
		expect(total('members_joined')).toBe(6); // four members, the removed one and the one who left
		await small('members_left', 'select 1 from private.programme_departures where space_id = $1', [spaceA]);
		expect(total('posts')).toBe(
			await count('select 1 from public.posts where space_id = $1 and deleted_at is null', [spaceA])
		);
		await small('threads', 'select 1 from public.threads where space_id = $1 and not is_dialogue', [spaceA]);
		await small('dialogue_posts', 'select 1 from public.posts where thread_id = $1 and deleted_at is null', [
			dialogueA
		]);
		await small('dialogues', 'select 1 from public.dialogues where space_id = $1', [spaceA]);
		await small(
			'dialogue_guests',
			'select 1 from public.dialogue_guests g join public.dialogues d on d.id = g.dialogue_id where d.space_id = $1',
			[spaceA]
		);
		await small('actions', 'select 1 from public.dialogue_actions where space_id = $1', [spaceA]);
		await small('library_items', 'select 1 from public.library_resources where space_id = $1', [spaceA]);
		await small('drafts_started', 'select 1 from public.drafts where space_id = $1', [spaceA]);
		expect(total('members_active')).toBe(
			await count(
				`select distinct m.user_id from public.space_members m
				  where m.space_id = $1 and (
				    exists (select 1 from public.posts p where p.space_id = m.space_id and p.author_id = m.user_id)
				    or exists (select 1 from public.thread_reads r join public.threads t on t.id = r.thread_id
				                where t.space_id = m.space_id and r.user_id = m.user_id)
				    or exists (select 1 from public.draft_history h join public.drafts d on d.id = h.draft_id
				                where d.space_id = m.space_id and h.user_id = m.user_id))`,
				[spaceA]
			)
		);
		// The network: sums over its spaces, and its own figures.
		const network = (await figures(officer, null)).data!.network!;
		expect(network.posts.total).toBe(await count('select 1 from public.posts where deleted_at is null'));
		expect(network.people.total).toBe(await count('select distinct user_id from public.space_members'));
		expect(network.spaces.total).toBe(await count('select 1 from public.spaces'));
	});
});

describe('member safety, done by the database', () => {
	it('a broken-down count of 1 to 4 is null, the next smallest of its row too, and the whole figure when nothing in its row is larger', async () => {
		const { data } = await figures(officer, spaceA);
		const f = data!.spaces[0].figures;
		// Left: one removed, one on their own: both hidden, and the total (2), which would say each was 1.
		expect(f.members_left.breakdown).toEqual({ removed: null, left: null });
		expect(f.members_left.total).toBeNull();
		expect(f.dialogue_guests.breakdown).toEqual({ landlord: null });
		expect(f.actions.breakdown).toEqual({ agreed: null });
		// Threads by month, made by the operator in three months: 7, 2 and 6.
		const space = await createSpace(ownFacilitator, { name: 'Ba tháng' });
		for (const [month, n] of [
			['2026-03-15', 7],
			['2026-04-15', 2],
			['2026-05-15', 6]
		] as const)
			await stack.sql(
				`insert into public.threads (space_id, title, created_at)
				 select $1, 'Chủ đề ' || i, $2::timestamptz from generate_series(1, $3) i`,
				[space, `${month}T12:00:00+07`, n]
			);
		const months = (await figures(officer, space, '2026-01-01', '2026-06-30')).data!.spaces[0].figures
			.threads;
		expect(months.total).toBe(15);
		// 2 is hidden; 6, the smallest of the others, goes too, or 15 - 7 would give it away.
		expect(months.months).toEqual({ '2026-03-01': 7, '2026-04-01': null, '2026-05-01': null });
	});

	it('a sensitive space gives totals only, to the officer and its own facilitator alike', async () => {
		for (const who of [officer, cast.facilitator]) {
			const { data, error } = await figures(who, sensitiveSpace);
			expect(error).toBeNull();
			const space = data!.spaces[0];
			expect(space.sensitive).toBe(true);
			expect(space.figures.threads.total).toBe(1);
			for (const figure of Object.values(space.figures)) {
				expect(figure.months).toEqual({});
				expect(figure.breakdown).toEqual({});
			}
		}
	});

	it('the figures name nobody and quote nothing', async () => {
		const network = JSON.stringify((await figures(officer, null)).data);
		for (const marker of [
			SECRET,
			threadA,
			dialogueA,
			anonymousPost,
			draftA,
			...[cast.facilitator, cast.leader, cast.deputy, cast.member, cast.removed].map((p) => p.id),
			guest.id
		])
			expect(network).not.toContain(marker);
	});
});

describe('the officer reads no content of a space she is not in', () => {
	const markers = () => [
		SECRET,
		spaceA,
		threadA,
		dialogueA,
		anonymousPost,
		draftA,
		file.resourceId,
		guest.id,
		cast.facilitator.id,
		cast.leader.id,
		cast.deputy.id,
		cast.member.id,
		cast.removed.id
	];
	/** The markers of space A in an answer, except those the question itself carried (a path parser echoes its path). */
	const leaks = (value: unknown, asked: unknown = null) => {
		const text = JSON.stringify(value ?? null);
		const question = JSON.stringify(asked);
		return markers().filter((marker) => text.includes(marker) && !question.includes(marker));
	};

	it('every table and view', async () => {
		const relations = await stack.sql<{ name: string }>(
			`select c.relname as name from pg_class c
			  where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'v', 'm') order by 1`
		);
		expect(relations.length).toBeGreaterThan(30);
		for (const { name } of relations) {
			const { data } = await officer.client.from(name as never).select('*');
			expect(leaks(data), name).toEqual([]);
		}
		// ...while the space she is a member of reads as it does for any member.
		const own = await officer.client.from('posts').select('body').eq('thread_id', ownThread);
		expect(own.data?.map((p) => p.body)).toEqual(['Cán bộ chương trình đọc được']);
	});

	it('every RPC a signed-in person may call, with that space’s ids', async () => {
		const functions = await stack.sql<{
			name: string;
			args: { name: string; type: string }[] | null;
			defaults: number;
		}>(
			`select p.proname as name, p.pronargdefaults as defaults,
			        (select jsonb_agg(jsonb_build_object('name', n, 'type', format_type(t, null)) order by i)
			           from unnest(p.proargnames[1:p.pronargs], p.proargtypes::oid[]) with ordinality as a(n, t, i)) as args
			   from pg_proc p
			  where p.pronamespace = 'public'::regnamespace and p.prorettype <> 'trigger'::regtype
			    and has_function_privilege('authenticated', p.oid, 'execute')
			  order by 1`
		);
		const enums = new Map(
			(
				await stack.sql<{ name: string; label: string }>(
					`select t.typname as name, min(e.enumlabel) as label from pg_enum e join pg_type t on t.oid = e.enumtypid group by 1`
				)
			).map((row) => [row.name, row.label])
		);
		const idFor = (arg: string) =>
			/space/.test(arg)
				? spaceA
				: /dialogue/.test(arg)
					? dialogueA
					: /thread/.test(arg)
						? threadA
						: /draft/.test(arg)
							? draftA
							: /resource/.test(arg)
								? file.resourceId
								: /post/.test(arg)
									? anonymousPost
									: /user|to|owner/.test(arg)
										? cast.outsider.id
										: /^p_id$/.test(arg)
											? newId()
											: spaceA;
		const valueFor = ({ name, type }: { name: string; type: string }): unknown => {
			if (type === 'uuid') return idFor(name);
			if (type.endsWith('[]')) return [];
			if (type === 'text') return name === 'p_name' ? `${spaceA}/${file.resourceId}/${file.fileId}` : 'a';
			if (/int|numeric|bigint/.test(type)) return 1;
			if (type === 'boolean') return false;
			if (type === 'date') return today();
			if (/timestamp/.test(type)) return new Date().toISOString();
			if (type === 'jsonb' || type === 'json') return {};
			const enumName = type.replace(/^public\./, '');
			return enums.get(enumName) ?? 'a';
		};
		let called = 0;
		for (const fn of functions) {
			if (fn.name === 'programme_figures') continue; // counts by design: checked above
			const args = fn.args ?? [];
			const required = args.slice(0, args.length - fn.defaults);
			const params = Object.fromEntries(args.map((arg) => [arg.name, valueFor(arg)]));
			const res = await officer.client.rpc(fn.name as never, params as never);
			called++;
			expect(leaks(res.data, params), `${fn.name}(${required.map((a) => a.name).join(', ')})`).toEqual([]);
		}
		expect(called).toBeGreaterThan(60);
	});

	it("its Realtime topics refuse her; her own space's topic takes her", async () => {
		const join = (topic: string) =>
			new Promise<string>((resolve) => {
				const channel = officer.client.channel(topic, { config: { private: true } });
				channel.subscribe((status) => {
					if (status !== 'SUBSCRIBED' && status !== 'CLOSED') resolve(status);
					if (status === 'SUBSCRIBED') resolve(status);
				});
				setTimeout(() => resolve('TIMED_OUT'), 5_000);
			});
		for (const topic of [`space:${spaceA}`, `thread:${threadA}`, `dialogue:${dialogueA}`, `draft:${draftA}`])
			expect(await join(topic), topic).not.toBe('SUBSCRIBED');
		expect(await join(`space:${ownSpace}`)).toBe('SUBSCRIBED');
	});

	it('its Storage objects: no download, no signed address, no listing', async () => {
		expect((await storage(officer).download(file.path)).data).toBeNull();
		expect((await storage(officer).list(`${spaceA}/${file.resourceId}`)).data ?? []).toEqual([]);
		expect((await storage(officer).list(spaceA)).data ?? []).toEqual([]);
		// A member downloads it (the object is there).
		expect((await storage(cast.member).download(file.path)).data).not.toBeNull();
	});
});
