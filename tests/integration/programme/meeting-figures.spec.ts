// Meetings figures in the programme's figures (issues 25 and 27): the family
// programme_part_meetings() adds with a row of private.programme_figure_parts.
// - The officer's meetings figures equal counts computed here from the tables.
// - Small broken-down counts come back as null from the database, as in the
//   other families.
// - The part itself is callable by nobody through the API (member, leader,
//   facilitator, officer, meeting guest, outsider, anon); programme_figures()
//   gives a space's meetings figures to nobody but the officer and its
//   facilitators.
// Meetings are planned, attended and minuted through the app's own write paths
// (plan_meeting, record_attendance, add_meeting_participants, the
// declarations and decisions tables, as each person); the owner's SQL only
// moves a meeting's start into the past (standing in for the clock) and writes
// published elections (their counting reads published_at only; the ballot
// itself is tested in authorization/meetings.spec.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { signedInUser, startTestStack, type Person, type TestStack } from '../helpers/stack';
import { createSpace, newId } from '../helpers/spaces';
import { signUpCast, spaceWithCast, type Cast } from '../helpers/cast';
import { generateInviteCode } from '$lib/spaces/invite-code';

let stack: TestStack;
let cast: Cast;
let officer: Person;
let guest: Person;
let spaceA: string;
let spaceB: string;
let facilitatorB: Person;
const held: string[] = [];

const DAY = 86_400_000;
const today = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
const yearAgo = () => new Date(Date.now() + 7 * 3600_000 - 360 * DAY).toISOString().slice(0, 10);
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

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
const figures = async (who: { client: SupabaseClient }, space: string | null) =>
	who.client.rpc('programme_figures', {
		...(space ? { p_space: space } : {}),
		p_from: yearAgo(),
		p_to: today()
	}) as unknown as Promise<{ data: Result | null; error: { message: string } | null }>;

const number = async (query: string, params: unknown[] = []) =>
	Number((await stack.sql<{ n: number }>(`select coalesce((${query}), 0)::int as n`, params))[0].n);

/** The months (first day, Asia/Ho_Chi_Minh) a count falls in, as the database says them. */
const monthOf = async (at: string) =>
	(
		await stack.sql<{ m: string }>(
			`select to_char(date_trunc('month', $1::timestamptz at time zone 'Asia/Ho_Chi_Minh'), 'YYYY-MM-DD') as m`,
			[at]
		)
	)[0].m;

/** Plans a meeting as `by` (in the future, as the app must), then moves its start to `startsAt`. */
async function meeting(by: Person, space: string, startsAt: string): Promise<string> {
	const id = newId();
	const planned = await by.client.rpc('plan_meeting', {
		p_id: id,
		p_space: space,
		p_topic: 'Họp CLB',
		p_starts_at: new Date(Date.now() + 3 * DAY).toISOString(),
		p_duration_minutes: 90,
		p_venue: 'Nhà văn hoá',
		p_notice: 'Họp CLB tối Chủ nhật'
	});
	expect(planned.error).toBeNull();
	await stack.sql('update public.meetings set starts_at = $2 where id = $1', [id, startsAt]);
	return id;
}

async function attend(by: Person, id: string, present: Person[], absent: Person[] = []) {
	for (const [who, here] of [
		...present.map((p) => [p, true] as const),
		...absent.map((p) => [p, false] as const)
	])
		expect(
			(await by.client.rpc('record_attendance', { p_meeting: id, p_user: who.id, p_present: here })).error
		).toBeNull();
}

async function participants(by: Person, id: string, people: number, women: number, withDisability: number) {
	const { error } = await by.client.rpc('add_meeting_participants', {
		p_id: newId(),
		p_meeting: id,
		p_name: '',
		p_people: people,
		p_women: women,
		p_with_disability: withDisability
	});
	expect(error).toBeNull();
}

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack);
	let curator: Person;
	[curator, officer, guest, facilitatorB] = await Promise.all([
		signedInUser(stack, 'Cu Curator'),
		signedInUser(stack, 'Pa Programme Officer'),
		signedInUser(stack, 'Cán bộ BHXH'),
		signedInUser(stack, 'Fb Facilitator B')
	]);
	await stack.sql('insert into public.library_curators (user_id) values ($1)', [curator.id]);
	expect((await curator.client.rpc('grant_programme_role', { p_email: officer.email })).error).toBeNull();

	spaceA = await spaceWithCast(cast);
	const { facilitator, leader, deputy, member } = cast;
	// What each member chooses to declare, as themselves.
	for (const [who, woman, disability] of [
		[facilitator, true, false],
		[leader, true, true],
		[deputy, false, false],
		[member, true, null]
	] as const)
		expect(
			(await who.client.from('attendee_declarations').insert({ user_id: who.id, woman, disability })).error
		).toBeNull();

	// Held, 70 days ago: three members present, one absent, twelve outside participants.
	const first = await meeting(leader, spaceA, ago(70));
	await attend(leader, first, [facilitator, leader, deputy], [member]);
	await participants(leader, first, 10, 6, 1);
	await participants(leader, first, 2, 1, 0);
	// Held, 5 days ago: everyone present, five outside participants.
	const second = await meeting(leader, spaceA, ago(5));
	await attend(deputy, second, [facilitator, leader, deputy, member]);
	await participants(deputy, second, 5, 3, 0);
	held.push(first, second);
	// Not held: cancelled after attendance was taken; nobody there; not started yet (attendance taken early).
	const cancelled = await meeting(leader, spaceA, ago(20));
	await attend(leader, cancelled, [leader]);
	expect(
		(
			await leader.client
				.from('meetings')
				.update({ cancelled_at: new Date().toISOString() })
				.eq('id', cancelled)
		).error
	).toBeNull();
	const empty = await meeting(leader, spaceA, ago(10));
	await attend(leader, empty, [], [facilitator, leader, deputy, member]);
	const soon = await meeting(leader, spaceA, new Date(Date.now() + 2 * 3600_000).toISOString());
	await attend(leader, soon, [leader, member]);
	await participants(leader, soon, 9, 9, 9);

	// Decisions recorded by moderators: two at the first meeting, one at the second.
	for (const [id, text] of [
		[first, 'Lập nhóm Zalo'],
		[first, 'Mời cán bộ BHXH'],
		[second, 'Họp tháng sau ở khu B']
	] as const)
		expect(
			(await leader.client.from('meeting_decisions').insert({ id: newId(), meeting_id: id, text })).error
		).toBeNull();

	// Elections: two published (a leader, deputies), one not yet.
	for (const [role, published] of [
		['leader', true],
		['deputy', true],
		['leader', false]
	] as const)
		await stack.sql(
			`insert into public.elections (id, space_id, role, title, opens_at, closes_at, published_at)
			 values ($1, $2, $3, 'Bầu ban chủ nhiệm', now() - interval '3 days', now() - interval '1 day',
			         case when $4 then now() end)`,
			[newId(), spaceA, role, published]
		);

	// A meeting guest of the first meeting.
	const code = generateInviteCode();
	expect(
		(await leader.client.from('meeting_invites').insert({ meeting_id: first, code, created_by: leader.id }))
			.error
	).toBeNull();
	expect(
		(await guest.client.rpc('join_meeting', { p_code: code, p_organisation: 'BHXH huyện', p_position: '' }))
			.error
	).toBeNull();

	// Another space with one meeting held: the network is the sum.
	spaceB = await createSpace(facilitatorB, { name: 'CLB B' });
	const inB = await meeting(facilitatorB, spaceB, ago(3));
	await attend(facilitatorB, inB, [facilitatorB]);
	await participants(facilitatorB, inB, 6, 2, 0);
	held.push(inB);
}, 240_000);
afterAll(() => stack?.stop());

/** Meetings held, from the tables: not cancelled, started in the period, notice not removed, someone present. */
const HELD = `select m.id from public.meetings m join public.threads t on t.id = m.id
               where m.cancelled_at is null and t.deleted_at is null and m.starts_at < now()
                 and m.starts_at >= now() - interval '361 days' and m.space_id = any ($1::uuid[])
                 and (exists (select 1 from public.meeting_attendance a where a.meeting_id = m.id and a.present)
                      or exists (select 1 from public.meeting_participants p where p.meeting_id = m.id))`;

describe("the officer's meetings figures equal the tables' counts", () => {
	it('the family is listed and its figures are there', async () => {
		const { data, error } = await figures(officer, spaceA);
		expect(error).toBeNull();
		expect(data!.parts).toContain('meetings');
		expect(data!.parts.indexOf('meetings')).toBe(data!.parts.indexOf('discussions') + 1);
	});

	it('meetings held, attendance and its declared disaggregation, elections, decisions', async () => {
		const f = (await figures(officer, spaceA)).data!.spaces[0].figures;
		const spaces = [[spaceA]];
		const heldIds = (await stack.sql<{ id: string }>(HELD, spaces)).map((r) => r.id).sort();
		expect(heldIds).toEqual(held.slice(0, 2).sort());
		// Two, one a month: every count of the row is small, so the total is hidden too (member safety, below).
		expect(f.meetings_held.total).toBeNull();

		const present = await number(
			`select count(*) from public.meeting_attendance a where a.present and a.meeting_id in (${HELD})`,
			spaces
		);
		const outside = await number(
			`select sum(p.people) from public.meeting_participants p where p.meeting_id in (${HELD})`,
			spaces
		);
		expect([present, outside]).toEqual([7, 17]);
		expect(f.meeting_attendance.total).toBe(present + outside);
		expect(f.meeting_attendance.breakdown).toEqual({ members: present, participants: outside });
		// By month: the first meeting's 15, the second's 9 (not small: shown).
		expect(f.meeting_attendance.months).toEqual({ [await monthOf(ago(70))]: 15, [await monthOf(ago(5))]: 9 });

		const women =
			(await number(
				`select count(*) from public.meeting_attendance a join public.attendee_declarations d on d.user_id = a.user_id
				  where a.present and d.woman and a.meeting_id in (${HELD})`,
				spaces
			)) +
			(await number(
				`select sum(p.women) from public.meeting_participants p where p.meeting_id in (${HELD})`,
				spaces
			));
		expect(women).toBe(15);
		expect(f.meeting_attendance_women).toEqual({
			total: present + outside,
			months: {},
			breakdown: { women, others: present + outside - women }
		});

		const decisions = await number(
			`select count(*) from public.meeting_decisions d join public.meetings m on m.id = d.meeting_id
			  where m.space_id = $1`,
			[spaceA]
		);
		expect(decisions).toBe(3);
		// All in one month: hidden whole.
		expect(f.meeting_decisions.total).toBeNull();
		const elections = await number(
			'select count(*) from public.elections where space_id = $1 and published_at is not null',
			[spaceA]
		);
		expect(elections).toBe(2);
		expect(f.elections_published.total).toBeNull();

		// The network: the sum over its spaces.
		const network = (await figures(officer, null)).data!.network!;
		const all = [[spaceA, spaceB]];
		// Three, 1 or 2 a month: hidden whole.
		expect((await stack.sql(HELD, all)).length).toBe(3);
		expect(network.meetings_held.total).toBeNull();
		expect(network.meeting_attendance.total).toBe(
			(await number(
				`select count(*) from public.meeting_attendance a where a.present and a.meeting_id in (${HELD})`,
				all
			)) +
				(await number(
					`select sum(p.people) from public.meeting_participants p where p.meeting_id in (${HELD})`,
					all
				))
		);
		expect(network.meeting_attendance.total).toBe(24 + 7);
	});
});

describe('member safety, as in the other families', () => {
	it('a broken-down count of 1 to 4 is null, the other part of its row too, and the total when nothing in its row is larger', async () => {
		const f = (await figures(officer, spaceA)).data!.spaces[0].figures;
		// Two meetings held, one a month: both hidden, and the total (2 would say each month had 1).
		expect(f.meetings_held.total).toBeNull();
		expect(Object.values(f.meetings_held.months)).toEqual([null, null]);
		// Three declared living with a disability (the leader twice, one participant): hidden, and the
		// rest of the attendance with it, or 24 - 21 would give it away.
		expect(f.meeting_attendance_disability).toEqual({
			total: 24,
			months: {},
			breakdown: { with_disability: null, others: null }
		});
		expect(f.elections_published.breakdown).toEqual({ leader: null, deputy: null });
		expect(Object.values(f.meeting_decisions.months)).toEqual([null]);
		expect(f.meeting_decisions.total).toBeNull();
	});

	it('a sensitive space gives its meetings totals only', async () => {
		await facilitatorB.client.from('spaces').update({ sensitive: true }).eq('id', spaceB);
		try {
			const { data, error } = await figures(facilitatorB, spaceB);
			expect(error).toBeNull();
			const f = data!.spaces[0].figures;
			expect(f.meeting_attendance.total).toBe(7);
			for (const key of ['meetings_held', 'meeting_attendance', 'meeting_attendance_women']) {
				expect(f[key].months, key).toEqual({});
				expect(f[key].breakdown, key).toEqual({});
			}
		} finally {
			await facilitatorB.client.from('spaces').update({ sensitive: false }).eq('id', spaceB);
		}
	});

	it('the figures name nobody and quote nothing', async () => {
		const text = JSON.stringify((await figures(officer, null)).data);
		for (const marker of [
			...held,
			'Lập nhóm Zalo',
			'Họp CLB',
			guest.id,
			...[cast.facilitator, cast.leader, cast.deputy, cast.member, facilitatorB].map((p) => p.id)
		])
			expect(text).not.toContain(marker);
	});
});

describe('nobody else gets meetings figures', () => {
	const part = (who: { client: SupabaseClient }, spaces: string[]) =>
		who.client.rpc(
			'programme_part_meetings' as never,
			{
				p_spaces: spaces,
				p_from: new Date(Date.now() - 360 * DAY).toISOString(),
				p_to: new Date().toISOString()
			} as never
		) as unknown as Promise<{ data: unknown; error: { message: string } | null }>;

	it('the part is not callable through the API, by anyone', async () => {
		for (const [name, who] of [
			['anon', cast.anon],
			['member', cast.member],
			['leader', cast.leader],
			['facilitator', cast.facilitator],
			['meeting guest', guest],
			['outsider', cast.outsider],
			['removed member', cast.removed],
			['programme officer', officer]
		] as const) {
			const res = await part(who, [spaceA, spaceB]);
			expect(res.data, name).toBeNull();
			expect(res.error, name).not.toBeNull();
		}
	});

	it("a member, leader, meeting guest, outsider or removed member gets no space's figures", async () => {
		for (const [name, who] of [
			['member', cast.member],
			['leader', cast.leader],
			['meeting guest', guest],
			['outsider', cast.outsider],
			['removed member', cast.removed]
		] as const)
			for (const space of [spaceA, null]) {
				const res = await figures(who, space);
				expect(res.data, name).toBeNull();
				expect(res.error?.message, name).toContain('not_allowed');
			}
		// A facilitator: their own space, not another's.
		expect((await figures(cast.facilitator, spaceA)).data!.spaces[0].figures.meeting_attendance.total).toBe(
			24
		);
		expect((await figures(cast.facilitator, spaceB)).error?.message).toContain('not_allowed');
	});
});
