// Library items saved offline (issue 27), and small counts that a row's total
// used to give away.
// - A phone saving an item for offline tells the server through the outbox
//   (the real outbox code on fake-indexeddb, posting to the resource page's
//   saved_offline action as the app serves it): a send whose network drops
//   waits, a replay is stored once.
// - The officer's "library items saved offline" equals a count from the table.
// - Nobody reads anyone else's saves: REST (read, write as someone else, on an
//   item she cannot read, update, delete), the part RPC, Realtime.
// - Small counts: a figure whose one non-zero month is 1 to 4 shows no number
//   that equals it, total included; the same for a broken-down figure (the
//   guests of a dialogue by stakeholder type).
// - Across spaces: a space's hidden count is not the network's count less the
//   other spaces' shown counts (3 in space X, 10 in space Y in one month: Y's
//   count goes too; 3 in a month no other space counts: the network's goes).
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { signedInUser, startTestStack, type Person, type TestStack } from '../helpers/stack';
import { createSpace, invitePerson, newId } from '../helpers/spaces';
import { signUpCast, spaceWithCast, type Cast } from '../helpers/cast';
import { conveneDialogue, inviteGuest } from '../helpers/dialogues';
import { addFile } from '../library/helpers';
import { Browser, deserialize, loadAppServer, type AppServer } from '../helpers/app-actions';
import { enqueue, outboxItems } from '$lib/offline/outbox';
import { flushOutbox } from '$lib/offline/send';

let stack: TestStack;
let app: AppServer;
let cast: Cast;
let officer: Person;
let curator: Person;
let guest: Person;
let spaceA: string;
let spaceSmall: string;
let facilitatorSmall: Person;
const items: string[] = [];
let shared: string;
const phone = new Browser('203.0.113.9');

const today = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
const yearAgo = () => new Date(Date.now() + 7 * 3600_000 - 360 * 86_400_000).toISOString().slice(0, 10);
const thisMonth = () => `${today().slice(0, 7)}-01`;

type Figure = {
	total: number | null;
	months: Record<string, number | null>;
	breakdown: Record<string, number | null>;
};
type Result = {
	network: Record<string, Figure> | null;
	parts: string[];
	spaces: { id: string; figures: Record<string, Figure> }[];
};
const figures = async (who: { client: SupabaseClient }, space: string | null) => {
	const { data, error } = (await who.client.rpc('programme_figures', {
		...(space ? { p_space: space } : {}),
		p_from: yearAgo(),
		p_to: today()
	})) as unknown as { data: Result | null; error: { message: string } | null };
	expect(error).toBeNull();
	return data!;
};
const spaceFigure = (result: Result, space: string, key: string) =>
	result.spaces.find((s) => s.id === space)!.figures[key];

const number = async (query: string, params: unknown[] = []) =>
	Number((await stack.sql<{ n: number }>(`select coalesce((${query}), 0)::int as n`, params))[0].n);

/** Every number a page or CSV shows of a figure (its total, months, parts), nulls ("fewer than 5") left out. */
const shownNumbers = (figure: Figure | undefined) =>
	figure
		? [figure.total, ...Object.values(figure.months), ...Object.values(figure.breakdown)].filter(
				(n): n is number => n !== null
			)
		: [];

/** What SaveOffline.svelte puts in the outbox once the file is saved. */
const saveItem = (who: Person, space: string | null, resource: string) => {
	const page = space ? `/spaces/${space}/library/${resource}` : `/library/${resource}`;
	return {
		id: `saved-offline-${who.id}-${resource}`,
		userId: who.id,
		action: `${page}?/saved_offline`,
		fields: {},
		page
	};
};

/** Records a save as `who` through the resource page's action (the one writer), as the outbox posts it. */
async function saveThroughApp(who: Person, space: string | null, resource: string) {
	const browser = new Browser(`198.51.100.${Math.floor(Math.random() * 200) + 1}`);
	expect((await app(browser, 'signIn', { email: who.email, password: 'correct horse battery' })).status).toBe(
		303
	);
	const item = saveItem(who, space, resource);
	const response = await app.actionFetch(browser)(item.action, {
		method: 'POST',
		headers: { 'x-sveltekit-action': 'true' },
		body: new FormData()
	});
	return deserialize(await response.text()) as { type: string; data?: unknown };
}

beforeAll(async () => {
	stack = await startTestStack();
	app = await loadAppServer(stack);
	cast = await signUpCast(stack);
	[curator, officer, guest, facilitatorSmall] = await Promise.all([
		signedInUser(stack, 'Cu Curator'),
		signedInUser(stack, 'Pa Programme Officer'),
		signedInUser(stack, 'Cán bộ xã'),
		signedInUser(stack, 'Fs Facilitator')
	]);
	await stack.sql('insert into public.library_curators (user_id) values ($1)', [curator.id]);
	expect((await curator.client.rpc('grant_programme_role', { p_email: officer.email })).error).toBeNull();
	spaceA = await spaceWithCast(cast);
	for (const title of ['Sổ tay Luật Lao động', 'Mẫu đơn khiếu nại'])
		items.push((await addFile(cast.facilitator, spaceA, title)).resourceId);
	shared = (await addFile(curator, null, 'Tài liệu chung')).resourceId;
	// A dialogue guest of space A (she reads only what is attached to her dialogue).
	const dialogue = await conveneDialogue(cast.facilitator, spaceA);
	await inviteGuest(cast.facilitator, guest, dialogue, { type: 'local_authority' });
	// The member's phone, signed in through the app's sign-in form.
	expect(
		(await app(phone, 'signIn', { email: cast.member.email, password: 'correct horse battery' })).status
	).toBe(303);
	// A space where little happens: two threads in one month, one dialogue guest.
	spaceSmall = await createSpace(facilitatorSmall, { name: 'CLB nhỏ' });
	for (const title of ['Lịch họp', 'Góp quỹ'])
		expect(
			(
				await facilitatorSmall.client.rpc('start_thread', {
					p_id: newId(),
					p_space: spaceSmall,
					p_title: title,
					p_body: 'Họp tối Chủ nhật.',
					p_topic: 'other'
				})
			).error
		).toBeNull();
	const small = await conveneDialogue(facilitatorSmall, spaceSmall);
	await inviteGuest(facilitatorSmall, cast.outsider, small, { type: 'landlord' });
}, 240_000);
afterAll(() => stack?.stop());

describe('saved offline: the outbox tells the one writer', () => {
	it('a save whose network drops waits in the outbox, is sent later, and a replay is stored once', async () => {
		const item = saveItem(cast.member, spaceA, items[0]);
		await enqueue(item);
		const appFetch = app.actionFetch(phone);
		// The network is gone: nothing reaches the server, the item waits.
		const offline = await flushOutbox(cast.member.id, {
			fetch: () => Promise.reject(new TypeError('Failed to fetch')),
			deserialize
		});
		expect(offline).toMatchObject({ sent: 0, waiting: 1 });
		expect(
			await number('select count(*) from public.library_saves where user_id = $1', [cast.member.id])
		).toBe(0);
		// Back online: sent, gone from the outbox, stored.
		expect(await flushOutbox(cast.member.id, { fetch: appFetch, deserialize })).toMatchObject({ sent: 1 });
		expect(await outboxItems(cast.member.id)).toEqual([]);
		// The answer was lost on the way: the phone sends it again; saving again on another day, too.
		await enqueue(item);
		expect(await flushOutbox(cast.member.id, { fetch: appFetch, deserialize })).toMatchObject({ sent: 1 });
		expect((await saveThroughApp(cast.member, spaceA, items[0])).type).toBe('success');
		expect(
			await number('select count(*) from public.library_saves where user_id = $1 and resource_id = $2', [
				cast.member.id,
				items[0]
			])
		).toBe(1);
	});

	it('the officer sees the saves of the space and of the shared library, as the table counts them', async () => {
		for (const who of [cast.facilitator, cast.leader, cast.deputy, cast.member])
			expect((await saveThroughApp(who, spaceA, items[1])).type).toBe('success');
		for (const who of [cast.leader, cast.deputy])
			expect((await saveThroughApp(who, spaceA, items[0])).type).toBe('success');
		expect((await saveThroughApp(cast.member, null, shared)).type).toBe('success');
		const inA = await number(
			`select count(*) from public.library_saves s join public.library_resources r on r.id = s.resource_id
			  where r.space_id = $1`,
			[spaceA]
		);
		expect(inA).toBe(7);
		const network = await figures(officer, null);
		expect(network.parts).toContain('library_saves');
		expect(spaceFigure(network, spaceA, 'library_saves')).toEqual({
			total: inA,
			months: { [thisMonth()]: inA },
			breakdown: {}
		});
		expect(network.network!.library_saves.total).toBe(inA);
		expect(network.network!.library_saves_shared.total).toBe(
			await number(
				`select count(*) from public.library_saves s join public.library_resources r on r.id = s.resource_id
				  where r.space_id is null`
			)
		);
		// The facilitator sees her own space's.
		expect(spaceFigure(await figures(cast.facilitator, spaceA), spaceA, 'library_saves').total).toBe(inA);
	});

	it('two saves in a month are "fewer than 5": no number shown equals them, total included', async () => {
		const item = (await addFile(facilitatorSmall, spaceSmall, 'Biên bản')).resourceId;
		const other = await signedInUser(stack, 'Thành viên');
		await invitePerson(facilitatorSmall, other, spaceSmall);
		for (const who of [facilitatorSmall, other])
			expect((await saveThroughApp(who, spaceSmall, item)).type).toBe('success');
		const saves = spaceFigure(await figures(officer, null), spaceSmall, 'library_saves');
		expect(saves.total).toBeNull();
		expect(saves.months[thisMonth()]).toBeNull();
		expect(shownNumbers(saves)).not.toContain(2);
	});
});

describe("nobody reads anyone else's saves", () => {
	it('REST: each reads only her own rows; the others, the guest, strangers and anon read none', async () => {
		const { data: own } = await cast.member.client.from('library_saves').select('resource_id, user_id');
		expect(own?.length).toBeGreaterThan(0);
		expect(own!.every((row) => row.user_id === cast.member.id)).toBe(true);
		for (const who of [cast.deputy, cast.facilitator, guest, cast.outsider, cast.removed, officer, curator]) {
			const { data } = await who.client.from('library_saves').select('*').neq('user_id', who.id);
			expect(data ?? [], who.email).toEqual([]);
		}
		const { data: anon } = await cast.anon.client.from('library_saves').select('*');
		expect(anon ?? []).toEqual([]);
	});

	it("REST: no save in someone else's name, none of an item she cannot read, no update, no delete", async () => {
		const before = await number('select count(*) from public.library_saves');
		// In the member's name.
		expect(
			(
				await cast.deputy.client
					.from('library_saves')
					.insert({ resource_id: items[0], user_id: cast.member.id } as never)
			).error
		).not.toBeNull();
		// An item of a space she is not in (an outsider, a removed member, the guest: nothing attached to her).
		for (const who of [cast.outsider, cast.removed, guest])
			expect(
				(await who.client.from('library_saves').insert({ resource_id: items[0] })).error,
				who.email
			).not.toBeNull();
		// Through the app's action too.
		expect((await saveThroughApp(cast.outsider, spaceA, items[0])).type).toBe('failure');
		// Back-dating a save.
		expect(
			(
				await cast.deputy.client
					.from('library_saves')
					.insert({ resource_id: items[0], saved_at: '2020-01-01T00:00:00Z' } as never)
			).error
		).not.toBeNull();
		// Anon.
		expect(
			(await cast.anon.client.from('library_saves').insert({ resource_id: items[0] })).error
		).not.toBeNull();
		// Update or delete, even her own.
		const moved = await cast.member.client
			.from('library_saves')
			.update({ saved_at: '2020-01-01T00:00:00Z' } as never)
			.eq('user_id', cast.member.id)
			.select();
		expect(moved.error !== null || (moved.data ?? []).length === 0).toBe(true);
		const deleted = await cast.member.client
			.from('library_saves')
			.delete()
			.eq('user_id', cast.member.id)
			.select();
		expect(deleted.error !== null || (deleted.data ?? []).length === 0).toBe(true);
		expect(await number('select count(*) from public.library_saves')).toBe(before);
	});

	it('RPC: the part is callable by nobody', async () => {
		for (const who of [cast.member, cast.facilitator, guest, cast.outsider, officer, cast.anon]) {
			const { data, error } = await who.client.rpc(
				'programme_part_library_saves' as never,
				{
					p_spaces: [spaceA],
					p_from: '2020-01-01T00:00:00Z',
					p_to: '2100-01-01T00:00:00Z'
				} as never
			);
			expect(error).not.toBeNull();
			expect(data).toBeNull();
		}
	});

	it("Realtime: another member on the space's topic hears nothing of a save", async () => {
		const heard: unknown[] = [];
		const channel = cast.deputy.client.channel(`space:${spaceA}`, { config: { private: true } });
		channel.on('broadcast', { event: '*' }, (message) => heard.push(message));
		await new Promise<void>((resolve, reject) => {
			channel.subscribe((status) =>
				status === 'SUBSCRIBED' ? resolve() : status !== 'CLOSED' && reject(new Error(status))
			);
			setTimeout(() => reject(new Error('not subscribed')), 5_000);
		});
		const item = (await addFile(cast.facilitator, spaceA, 'Hướng dẫn mới')).resourceId;
		await new Promise((resolve) => setTimeout(resolve, 500));
		heard.length = 0; // the new item itself may be announced
		expect((await saveThroughApp(cast.member, spaceA, item)).type).toBe('success');
		await new Promise((resolve) => setTimeout(resolve, 1_500));
		await cast.deputy.client.removeChannel(channel);
		expect(JSON.stringify(heard)).not.toContain(cast.member.id);
		expect(heard).toEqual([]);
	});
});

describe('small counts: a row total never gives a hidden count away', () => {
	it('threads: one month of 2, nothing else: total hidden, no number equals 2', async () => {
		expect(
			await number('select count(*) from public.threads where space_id = $1 and not is_dialogue', [
				spaceSmall
			])
		).toBe(2);
		for (const who of [officer, facilitatorSmall]) {
			const result = await figures(who, who === officer ? null : spaceSmall);
			const threads = spaceFigure(result, spaceSmall, 'threads');
			expect(threads.months).toEqual({ [thisMonth()]: null });
			expect(threads.total).toBeNull();
			expect(shownNumbers(threads)).not.toContain(2);
		}
	});

	it('dialogue guests by stakeholder type: one guest, one type: no number shows that one', async () => {
		const guests = spaceFigure(await figures(officer, null), spaceSmall, 'dialogue_guests');
		expect(guests.breakdown).toEqual({ landlord: null });
		expect(guests.total).toBeNull();
		expect(shownNumbers(guests)).not.toContain(1);
		// And the dialogue's own figure (by month and by status): one dialogue.
		const dialogues = spaceFigure(await figures(officer, null), spaceSmall, 'dialogues');
		expect(dialogues.total).toBeNull();
		expect(shownNumbers(dialogues)).not.toContain(1);
	});

	it('a row with a larger count keeps its total (only the small one and its neighbour go)', async () => {
		// The facilitator's page of space A: its own figure only.
		const saves = spaceFigure(await figures(cast.facilitator, spaceA), spaceA, 'library_saves');
		expect(saves.total).toBeGreaterThanOrEqual(5);
		expect(saves.months[thisMonth()]).toBe(saves.total);
		// On the network's page, A's count of this month goes with the small space's 2,
		// which the network's count less A's would give away (across spaces, below).
		const network = await figures(officer, null);
		expect(spaceFigure(network, spaceSmall, 'library_saves').months[thisMonth()]).toBeNull();
		expect(spaceFigure(network, spaceA, 'library_saves').months[thisMonth()]).toBeNull();
	});
});

describe("small counts across spaces: the network's count less the shown ones gives nothing away", () => {
	/** The first of the month k months before this one (Vietnam's calendar). */
	const monthsAgo = (k: number) => {
		const [year, month] = today().split('-').map(Number);
		const d = new Date(Date.UTC(year, month - 1 - k, 1));
		return d.toISOString().slice(0, 10);
	};
	/** `people` save one new item of `space` in the month `month` (back-dated in the table). */
	async function savesIn(space: string, month: string, people: Person[]) {
		const item = (await addFile(facilitatorSmall, space, `Tài liệu ${month}`)).resourceId;
		for (const who of people)
			await stack.sql(
				'insert into public.library_saves (resource_id, user_id, saved_at) values ($1, $2, $3)',
				[item, who.id, `${month.slice(0, 8)}15T05:00:00Z`]
			);
	}
	const people = () => [
		cast.facilitator,
		cast.leader,
		cast.deputy,
		cast.member,
		cast.outsider,
		cast.removed,
		officer,
		curator,
		guest,
		facilitatorSmall
	];
	let spaceX: string;
	let spaceY: string;
	let spaceZ: string;
	const together = monthsAgo(4);
	const alone = monthsAgo(6);

	beforeAll(async () => {
		spaceX = await createSpace(facilitatorSmall, { name: 'CLB X' });
		spaceY = await createSpace(facilitatorSmall, { name: 'CLB Y' });
		spaceZ = await createSpace(facilitatorSmall, { name: 'CLB Z' });
		await savesIn(spaceX, together, people().slice(0, 3));
		await savesIn(spaceY, together, people());
		await savesIn(spaceZ, alone, people().slice(3, 6));
		expect(
			await number(
				`select count(*) from public.library_saves s join public.library_resources r on r.id = s.resource_id
				  where r.space_id = any ($1) and s.saved_at >= $2 and s.saved_at < ($2::date + interval '1 month')`,
				[[spaceX, spaceY], together]
			)
		).toBe(13);
	}, 120_000);

	it("a sensitive space's month is not in the network's month (the network less the other spaces would give it)", async () => {
		const month = monthsAgo(8);
		const sensitive = await createSpace(facilitatorSmall, { name: 'CLB kín' });
		await facilitatorSmall.client.from('spaces').update({ sensitive: true }).eq('id', sensitive);
		const open = await createSpace(facilitatorSmall, { name: 'CLB mở' });
		await savesIn(sensitive, month, people().slice(0, 7));
		await savesIn(open, month, people());
		const result = await figures(officer, null);
		expect(spaceFigure(result, sensitive, 'library_saves').months[month] ?? null).toBeNull();
		expect(spaceFigure(result, sensitive, 'library_saves').total).toBe(7);
		expect(spaceFigure(result, open, 'library_saves').months[month]).toBe(10);
		// The network's month counts the open space only (10, or hidden as the partner of
		// another month's small count), never 17, which less the open space's 10 gives 7.
		expect([10, null]).toContain(result.network!.library_saves.months[month] ?? null);
		expect(result.network!.library_saves.total).not.toBeNull();
	});

	it('3 in space X and 10 in space Y in one month: Y (or the network) is hidden too, nothing adds up to 3', async () => {
		const result = await figures(officer, null);
		const network = result.network!.library_saves;
		const x = spaceFigure(result, spaceX, 'library_saves');
		const y = spaceFigure(result, spaceY, 'library_saves');
		expect(x.months[together]).toBeNull();
		expect(y.months[together] === null || network.months[together] == null).toBe(true);
		// No cell (the month, the total) where the network's count less every shown space count is X's 3.
		const cells: [string, (f: Figure) => number | null | undefined][] = [
			['month', (f) => f.months[together]],
			['total', (f) => f.total]
		];
		for (const [name, cell] of cells) {
			const net = cell(network);
			if (net === null || net === undefined) continue;
			const shown = result.spaces
				.map((s) => (s.figures.library_saves ? cell(s.figures.library_saves) : 0))
				.reduce<number>((sum, n) => sum + (n ?? 0), 0);
			expect(net - shown, name).not.toBe(3);
		}
		// Nor Y's own row: a lone hidden month is not its total less its shown months.
		if (y.total !== null) expect(Object.values(y.months).filter((n) => n === null).length).not.toBe(1);
		// The facilitator of X alone sees X's figure only, hidden as before.
		expect(spaceFigure(await figures(facilitatorSmall, spaceX), spaceX, 'library_saves').months).toEqual({
			[together]: null
		});
	});

	it("3 in space Z in a month no other space counts: the network's count of that month is hidden", async () => {
		const result = await figures(officer, null);
		expect(spaceFigure(result, spaceZ, 'library_saves').months[alone]).toBeNull();
		expect(result.network!.library_saves.months[alone]).toBeNull();
	});
});
