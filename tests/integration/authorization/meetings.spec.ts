// Meetings, announcements, polls, elections and evaluation forms (issue 25),
// tried as every role: facilitator, leader, deputy, member, a meeting's guest
// resource person, an outsider, a removed member and anon. The secret ballot
// is attacked through every table, RPC and Realtime message a role can reach;
// double votes are sent at the same instant. Times are moved with the owner's
// SQL only to stand in for the clock ("the meeting has started").
import { createECDH, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser, startTestStack, type Person, type TestStack } from '../helpers/stack';
import { countRows, createSpace, invitePerson, newId, refusedOrNoRows, roleIn } from '../helpers/spaces';
import { membersOf, signUpCast, spaceWithCast, type Cast } from '../helpers/cast';
import { generateInviteCode } from '$lib/spaces/invite-code';

let stack: TestStack;
let cast: Cast;
let spaceId: string;
let meetingId: string;
let otherMeeting: string;
let guest: Person;
let handout: string;
let privateResource: string;

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

const plan = (
	who: Person,
	fields: Partial<{ id: string; starts: string; agenda: unknown[]; space: string }> = {}
) =>
	who.client.rpc('plan_meeting', {
		p_id: fields.id ?? newId(),
		p_space: fields.space ?? spaceId,
		p_topic: 'Quyền lợi bảo hiểm xã hội',
		p_starts_at: fields.starts ?? inDays(7),
		p_duration_minutes: 90,
		p_venue: 'Nhà văn hoá khu trọ',
		p_notice: 'Họp CLB tối Chủ nhật',
		p_agenda: (fields.agenda ?? [
			{ title: 'Điểm danh', owner: '' },
			{ title: 'BHXH một lần', owner: '' },
			{ title: 'Việc tháng tới', owner: '' }
		]) as never
	});

/** Everyone but the given people, as [label, person]. */
const outsiders = () =>
	[
		['outsider', cast.outsider],
		['removed member', cast.removed],
		['meeting guest', guest]
	] as const;

const setSql = (sql: string, params: unknown[]) => stack.sql(sql, params);

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack);
	spaceId = await spaceWithCast(cast);
	guest = await signedInUser(stack, 'Cán bộ BHXH');
	meetingId = newId();
	expect((await plan(cast.leader, { id: meetingId })).error).toBeNull();
	otherMeeting = newId();
	expect((await plan(cast.facilitator, { id: otherMeeting, starts: inDays(30) })).error).toBeNull();
	const link = async (title: string) => {
		const id = newId();
		const { error } = await cast.member.client.rpc('add_library_resource', {
			p_id: id,
			p_title: title,
			p_space: spaceId,
			p_url: 'https://baohiemxahoi.gov.vn/'
		});
		expect(error).toBeNull();
		return id;
	};
	handout = await link('Tờ rơi BHXH một lần');
	privateResource = await link('Sổ tay nội bộ CLB');
	expect(
		(
			await cast.leader.client
				.from('library_attachments')
				.insert({ resource_id: handout, thread_id: meetingId, attached_by: cast.leader.id })
		).error
	).toBeNull();
	const code = generateInviteCode();
	expect(
		(
			await cast.leader.client
				.from('meeting_invites')
				.insert({ meeting_id: meetingId, code, created_by: cast.leader.id })
		).error
	).toBeNull();
	const joined = await guest.client.rpc('join_meeting', {
		p_code: code,
		p_organisation: 'BHXH huyện',
		p_position: 'Cán bộ'
	});
	expect(joined.error).toBeNull();
	expect(joined.data).toBe(meetingId);
}, 120_000);

afterAll(() => stack?.stop());

describe('planning a meeting', () => {
	it('moderators plan; a member, a guest, an outsider and a removed member cannot', async () => {
		expect((await plan(cast.deputy)).error).toBeNull();
		for (const who of [cast.member, cast.outsider, cast.removed, guest]) {
			const { error } = await plan(who);
			expect(error?.message).toContain('not_allowed');
		}
		const anon = await cast.anon.client.rpc('plan_meeting', {
			p_id: newId(),
			p_space: spaceId,
			p_topic: 'x',
			p_starts_at: inDays(2),
			p_duration_minutes: 60,
			p_venue: '',
			p_notice: 'x'
		});
		expect(anon.error).not.toBeNull();
	});

	it('a meeting in the past is refused, on planning and on moving it', async () => {
		expect((await plan(cast.leader, { starts: inDays(-1) })).error?.message).toContain('meeting_in_past');
		const moved = await cast.leader.client
			.from('meetings')
			.update({ starts_at: inDays(-2) })
			.eq('id', meetingId)
			.select('id');
		expect(moved.error?.message).toContain('meeting_in_past');
	});

	it('a replayed plan (same id) stores one meeting, one thread, one notice', async () => {
		const id = newId();
		expect((await plan(cast.leader, { id })).data).toBe(id);
		expect((await plan(cast.leader, { id })).data).toBe(id);
		expect(await countRows(stack, 'select 1 from public.meetings where id = $1', [id])).toBe(1);
		expect(await countRows(stack, 'select 1 from public.posts where thread_id = $1', [id])).toBe(1);
		expect(
			await countRows(stack, 'select 1 from public.meeting_agenda_items where meeting_id = $1', [id])
		).toBe(3);
	});

	it('members read meetings and agendas; guests, outsiders, removed members and anon read no table', async () => {
		for (const who of membersOf(cast)) {
			expect((await who.client.from('meetings').select('id').eq('id', meetingId)).data).toHaveLength(1);
			expect(
				(await who.client.from('meeting_agenda_items').select('id').eq('meeting_id', meetingId)).data
			).toHaveLength(3);
		}
		for (const [label, who] of [...outsiders(), ['anon', cast.anon] as const]) {
			for (const table of [
				'meetings',
				'meeting_agenda_items',
				'meeting_rsvps',
				'meeting_attendance',
				'meeting_participants',
				'meeting_decisions',
				'announcements',
				'polls',
				'elections',
				'evaluations'
			] as const) {
				const res = await who.client.from(table).select('*');
				expect(refusedOrNoRows(res), `${label} reads ${table}`).toBe(true);
			}
		}
	});
});

describe('the meeting guest (a resource person of one meeting)', () => {
	it('reads that meeting through meeting_for_guest, and nothing of another', async () => {
		const mine = await guest.client.rpc('meeting_for_guest', { p_meeting: meetingId });
		expect(mine.error).toBeNull();
		const view = mine.data as { topic: string; agenda: { title: string }[]; materials: { id: string }[] };
		expect(view.topic).toBe('Quyền lợi bảo hiểm xã hội');
		expect(view.agenda.map((a) => a.title)).toEqual(['Điểm danh', 'BHXH một lần', 'Việc tháng tới']);
		expect(view.materials.map((r) => r.id)).toEqual([handout]);
		expect(JSON.stringify(view)).not.toMatch(/"minutes"|owner/);
		expect((await guest.client.rpc('meeting_for_guest', { p_meeting: otherMeeting })).data).toBeNull();
		for (const who of [cast.member, cast.outsider, cast.removed]) {
			expect((await who.client.rpc('meeting_for_guest', { p_meeting: meetingId })).data).toBeNull();
		}
	});

	it('does not read the notice thread, the space, its members, its other library items, counts or history', async () => {
		expect((await guest.client.from('threads').select('id')).data).toEqual([]);
		expect((await guest.client.from('posts').select('id')).data).toEqual([]);
		expect((await guest.client.rpc('open_thread', { p_thread: meetingId })).data).toBeNull();
		expect((await guest.client.from('spaces').select('id')).data).toEqual([]);
		expect((await guest.client.from('space_members').select('user_id')).data).toEqual([]);
		expect((await guest.client.rpc('meeting_counts', { p_meeting: meetingId })).data).toBeNull();
		expect((await guest.client.rpc('meeting_history', { p_space: spaceId })).data).toEqual([]);
		const library = await guest.client.from('library_resources').select('id');
		expect(library.data?.map((r) => r.id)).toEqual([handout]);
		expect(
			(await guest.client.from('library_resources').select('id').eq('id', privateResource)).data
		).toEqual([]);
		const names = await guest.client.from('profiles').select('id');
		expect(names.data?.map((p) => p.id)).toEqual([guest.id]);
		// Not a member anywhere: answering, voting, reading readers all refused.
		expect(
			(await guest.client.rpc('answer_meeting', { p_meeting: meetingId, p_answer: 'going' })).error
		).not.toBeNull();
	});

	it("members see the guest's name; a removed guest reads nothing from their next request", async () => {
		const names = await cast.member.client.from('profiles').select('display_name').eq('id', guest.id);
		expect(names.data).toHaveLength(1);
		const removed = await cast.leader.client
			.from('meeting_guests')
			.update({ removed_at: 'now' })
			.eq('meeting_id', meetingId)
			.eq('user_id', guest.id)
			.select('user_id');
		expect(removed.data).toHaveLength(1);
		expect((await guest.client.rpc('meeting_for_guest', { p_meeting: meetingId })).data).toBeNull();
		expect((await guest.client.from('library_resources').select('id')).data).toEqual([]);
		// Put back for the other tests (a new invite after the removal).
		const code = generateInviteCode();
		await cast.leader.client
			.from('meeting_invites')
			.insert({ meeting_id: meetingId, code, created_by: cast.leader.id });
		expect(
			(await guest.client.rpc('join_meeting', { p_code: code, p_organisation: 'BHXH huyện' })).error
		).toBeNull();
	});
});

describe('RSVP', () => {
	it('members answer for themselves and change their mind; counts never double', async () => {
		for (const answer of ['maybe', 'going', 'going'] as const) {
			expect(
				(await cast.member.client.rpc('answer_meeting', { p_meeting: meetingId, p_answer: answer })).error
			).toBeNull();
		}
		expect(
			(await cast.deputy.client.rpc('answer_meeting', { p_meeting: meetingId, p_answer: 'cant' })).error
		).toBeNull();
		const counts = (await cast.member.client.rpc('meeting_counts', { p_meeting: meetingId })).data as Record<
			string,
			number
		>;
		expect(counts).toMatchObject({ going: 1, maybe: 0, cant: 1, members: 4 });
	});

	it('nobody answers for someone else; outsiders, removed members and anon are refused', async () => {
		const forged = await cast.leader.client
			.from('meeting_rsvps')
			.insert({ meeting_id: meetingId, user_id: cast.member.id, answer: 'cant' });
		expect(forged.error).not.toBeNull();
		for (const who of [cast.outsider, cast.removed]) {
			expect(
				(await who.client.rpc('answer_meeting', { p_meeting: meetingId, p_answer: 'going' })).error
			).not.toBeNull();
		}
		expect(
			(await cast.anon.client.rpc('answer_meeting', { p_meeting: meetingId, p_answer: 'going' })).error
		).not.toBeNull();
	});

	it('after the meeting has started, an answer is refused with meeting_started', async () => {
		const id = newId();
		expect((await plan(cast.leader, { id, starts: inDays(1) })).error).toBeNull();
		await setSql("update public.meetings set starts_at = now() - interval '1 minute' where id = $1", [id]);
		const late = await cast.member.client.rpc('answer_meeting', { p_meeting: id, p_answer: 'going' });
		expect(late.error?.message).toContain('meeting_started');
	});
});

describe('attendance', () => {
	let now: string;
	beforeAll(async () => {
		now = newId();
		expect((await plan(cast.leader, { id: now, starts: inDays(0.01) })).error).toBeNull();
	});

	it('a moderator marks members; the same mark twice, or from two phones at once, is one row', async () => {
		const mark = (who: Person, present: boolean) =>
			who.client.rpc('record_attendance', { p_meeting: now, p_user: cast.member.id, p_present: present });
		const results = await Promise.all([
			mark(cast.leader, true),
			mark(cast.deputy, true),
			mark(cast.leader, true)
		]);
		for (const r of results) expect(r.error).toBeNull();
		expect(
			await countRows(stack, 'select 1 from public.meeting_attendance where meeting_id = $1', [now])
		).toBe(1);
		const counts = (await cast.member.client.rpc('meeting_counts', { p_meeting: now })).data as Record<
			string,
			number
		>;
		expect(counts.presentMembers).toBe(1);
	});

	it('members, guests, outsiders and removed members cannot take attendance; nobody marks a non-member', async () => {
		for (const who of [cast.member, cast.outsider, cast.removed, guest]) {
			const r = await who.client.rpc('record_attendance', {
				p_meeting: now,
				p_user: cast.member.id,
				p_present: false
			});
			expect(r.error, 'taking attendance').not.toBeNull();
		}
		const stranger = await cast.leader.client.rpc('record_attendance', {
			p_meeting: now,
			p_user: cast.outsider.id,
			p_present: true
		});
		expect(stranger.error).not.toBeNull();
	});

	it('attendance for a meeting days away is refused (attendance_too_early)', async () => {
		const r = await cast.leader.client.rpc('record_attendance', {
			p_meeting: otherMeeting,
			p_user: cast.member.id,
			p_present: true
		});
		expect(r.error?.message).toContain('attendance_too_early');
	});

	it('participants who are not members: a replayed id is stored once; declared figures are counted', async () => {
		const id = newId();
		const add = () =>
			cast.leader.client.rpc('add_meeting_participants', {
				p_id: id,
				p_meeting: now,
				p_name: 'Chị em khu trọ B',
				p_people: 3,
				p_women: 3,
				p_with_disability: 1
			});
		const [a, b] = await Promise.all([add(), add()]);
		expect(a.error).toBeNull();
		expect(b.error).toBeNull();
		expect((await add()).error).toBeNull();
		await cast.member.client.from('attendee_declarations').upsert({ user_id: cast.member.id, woman: true });
		const counts = (await cast.member.client.rpc('meeting_counts', { p_meeting: now })).data as Record<
			string,
			number
		>;
		expect(counts).toMatchObject({
			participants: 3,
			participantWomen: 3,
			participantsWithDisability: 1,
			presentWomen: 1
		});
		// Nobody but its owner reads a declaration.
		expect((await cast.leader.client.from('attendee_declarations').select('*')).data).toEqual([]);
		const bad = await cast.leader.client.rpc('add_meeting_participants', {
			p_id: newId(),
			p_meeting: now,
			p_name: '',
			p_people: 2,
			p_women: 5,
			p_with_disability: 0
		});
		expect(bad.error).not.toBeNull();
	});
});

describe('announcements: seen by whom', () => {
	let notice: string;
	beforeAll(async () => {
		const rows = await stack.sql<{ id: string }>(
			'select id from public.posts where thread_id = $1 and is_opening',
			[meetingId]
		);
		notice = rows[0].id;
	});

	it('moderators see who has and has not seen the notice; opening it counts', async () => {
		const before = (await cast.leader.client.rpc('announcement_readers', { p_post: notice })).data as {
			user_id: string;
			seen: boolean;
		}[];
		expect(before.find((r) => r.user_id === cast.member.id)?.seen).toBe(false);
		expect(before.some((r) => r.user_id === cast.leader.id)).toBe(false); // its author
		expect((await cast.member.client.rpc('open_thread', { p_thread: meetingId })).data).not.toBeNull();
		const after = (await cast.facilitator.client.rpc('announcement_readers', { p_post: notice })).data as {
			user_id: string;
			seen: boolean;
		}[];
		expect(after.find((r) => r.user_id === cast.member.id)?.seen).toBe(true);
		expect(after.filter((r) => r.seen)).toHaveLength(1);
	});

	it('members see only that it is an announcement; nobody else sees either', async () => {
		expect(
			(await cast.member.client.from('announcements').select('post_id').eq('post_id', notice)).data
		).toHaveLength(1);
		for (const who of [cast.member, guest, cast.outsider, cast.removed]) {
			const r = await who.client.rpc('announcement_readers', { p_post: notice });
			expect(r.error?.message, 'reading who has seen').toContain('not_allowed');
		}
		// Read markers themselves stay their owner's.
		expect(
			(await cast.leader.client.from('thread_reads').select('user_id').neq('user_id', cast.leader.id)).data
		).toEqual([]);
	});

	it('moderators mark any post of their space; members cannot', async () => {
		const thread = newId();
		await cast.member.client.rpc('start_thread', {
			p_space: spaceId,
			p_title: 'Lịch trực cổng',
			p_body: 'Mỗi tối một chị',
			p_topic: 'club_life',
			p_id: thread
		});
		const [{ id: post }] = await stack.sql<{ id: string }>(
			'select id from public.posts where thread_id = $1',
			[thread]
		);
		const row = { post_id: post, space_id: spaceId, thread_id: thread };
		expect(
			(await cast.member.client.from('announcements').insert({ ...row, marked_by: cast.member.id })).error
		).not.toBeNull();
		expect(
			(await cast.deputy.client.from('announcements').insert({ ...row, marked_by: cast.deputy.id })).error
		).toBeNull();
	});
});

describe('polls', () => {
	const poll = async (results: 'after_vote' | 'after_close', kind: 'single' | 'multiple' = 'single') => {
		const id = newId();
		const { error } = await cast.leader.client.rpc('create_poll', {
			p_id: id,
			p_space: spaceId,
			p_question: 'Họp vào tối nào?',
			p_kind: kind,
			p_results_when: results,
			p_closes_at: inDays(3),
			p_labels: ['Thứ Bảy', 'Chủ nhật', 'Thứ Tư']
		});
		expect(error).toBeNull();
		const options = (
			await cast.member.client.from('poll_options').select('id').eq('poll_id', id).order('position')
		).data!.map((o) => o.id);
		return { id, options };
	};

	it('members vote once per poll even with two requests at the same instant', async () => {
		const { id, options } = await poll('after_vote');
		const vote = (option: string) =>
			cast.member.client.rpc('vote_in_poll', { p_poll: id, p_options: [option] });
		const results = await Promise.all([vote(options[0]), vote(options[1]), vote(options[0])]);
		expect(results.every((r) => r.error === null)).toBe(true);
		expect(await countRows(stack, 'select 1 from public.poll_votes where poll_id = $1', [id])).toBe(1);
		expect(
			(await cast.member.client.rpc('vote_in_poll', { p_poll: id, p_options: options.slice(0, 2) })).error
				?.message
		).toContain('bad_choice');
	});

	it('results: after voting (once I voted) or after closing, as the creator chose', async () => {
		const early = await poll('after_vote');
		expect(
			((await cast.deputy.client.rpc('poll_results', { p_poll: early.id })).data as { visible: boolean })
				.visible
		).toBe(false);
		await cast.deputy.client.rpc('vote_in_poll', { p_poll: early.id, p_options: [early.options[2]] });
		const seen = (await cast.deputy.client.rpc('poll_results', { p_poll: early.id })).data as {
			visible: boolean;
			options: { count: number }[];
		};
		expect(seen.visible).toBe(true);
		expect(seen.options.map((o) => o.count)).toEqual([0, 0, 1]);
		const late = await poll('after_close', 'multiple');
		await cast.deputy.client.rpc('vote_in_poll', { p_poll: late.id, p_options: late.options.slice(0, 2) });
		expect(
			((await cast.deputy.client.rpc('poll_results', { p_poll: late.id })).data as { visible: boolean })
				.visible
		).toBe(false);
		await setSql("update public.polls set closes_at = now() - interval '1 second' where id = $1", [late.id]);
		const closed = (await cast.member.client.rpc('poll_results', { p_poll: late.id })).data as {
			options: { count: number }[];
		};
		expect(closed.options.map((o) => o.count)).toEqual([1, 1, 0]);
		const after = await cast.member.client.rpc('vote_in_poll', {
			p_poll: late.id,
			p_options: [late.options[0]]
		});
		expect(after.error?.message).toContain('poll_closed');
		for (const who of [cast.outsider, cast.removed, guest]) {
			expect((await who.client.rpc('poll_results', { p_poll: late.id })).data).toBeNull();
			expect(
				(await who.client.rpc('vote_in_poll', { p_poll: early.id, p_options: [early.options[0]] })).error
			).not.toBeNull();
		}
		// Each person reads only their own votes.
		expect((await cast.leader.client.from('poll_votes').select('user_id')).data).toEqual([]);
	});
});

describe('elections: the secret ballot', () => {
	let election: string;
	let late: Person;
	let messagesBefore: number;

	const create = async (who: Person, fields: { opens?: string; closes?: string; seats?: number } = {}) => {
		const id = newId();
		const r = await who.client.rpc('create_election', {
			p_id: id,
			p_space: spaceId,
			p_role: 'leader',
			p_seats: fields.seats ?? 1,
			p_title: 'Bầu trưởng nhóm 2027',
			p_opens_at: fields.opens ?? inDays(1),
			p_closes_at: fields.closes ?? inDays(2)
		});
		return { id, error: r.error };
	};
	const stand = (who: Person, id: string, user = who.id) =>
		who.client.rpc('propose_candidate', { p_election: id, p_user: user });
	const openNow = (id: string) =>
		cast.leader.client.rpc('move_election_window', { p_election: id, p_step: 'open' });
	const vote = (who: Person, id: string, candidates: string[]) =>
		who.client.rpc('cast_ballot', { p_election: id, p_candidates: candidates });

	beforeAll(async () => {
		const made = await create(cast.leader);
		expect(made.error).toBeNull();
		election = made.id;
		expect((await stand(cast.deputy, election)).error).toBeNull();
		// The leader nominates the member, who is on the ballot once she consents.
		expect((await stand(cast.leader, election, cast.member.id)).error).toBeNull();
		expect(
			(await cast.member.client.rpc('answer_candidacy', { p_election: election, p_accept: true })).error
		).toBeNull();
	});

	it('facilitators and leaders call elections; deputies, members and strangers cannot', async () => {
		expect((await create(cast.facilitator)).error).toBeNull();
		for (const who of [cast.deputy, cast.member, cast.outsider, cast.removed, guest]) {
			expect((await create(who)).error?.message).toContain('not_allowed');
		}
	});

	it('no candidate or one: voting cannot open and ballots are refused', async () => {
		const { id } = await create(cast.leader);
		expect((await openNow(id)).error?.message).toContain('not_enough_candidates');
		await stand(cast.member, id);
		expect((await openNow(id)).error?.message).toContain('not_enough_candidates');
		await setSql("update public.elections set opens_at = now() - interval '1 second' where id = $1", [id]);
		expect((await vote(cast.member, id, [cast.member.id])).error?.message).toContain('not_enough_candidates');
	});

	it('before voting opens a ballot is refused; a nominee who did not consent is not on the ballot', async () => {
		expect((await vote(cast.member, election, [cast.deputy.id])).error?.message).toContain(
			'election_not_open'
		);
		const { id } = await create(cast.leader);
		await stand(cast.leader, id, cast.facilitator.id); // not consented
		await stand(cast.deputy, id);
		await stand(cast.member, id);
		expect((await openNow(id)).error).toBeNull();
		expect((await vote(cast.leader, id, [cast.facilitator.id])).error?.message).toContain('bad_ballot');
	});

	it('someone who joined after voting opened may not vote (not_eligible)', async () => {
		expect((await openNow(election)).error).toBeNull();
		late = await signedInUser(stack, 'Na Newcomer');
		await invitePerson(cast.facilitator, late, spaceId, 'member');
		expect((await vote(late, election, [cast.deputy.id])).error?.message).toContain('not_eligible');
	});

	it('a member votes once, even with requests sent at the same instant', async () => {
		messagesBefore = await countRows(stack, 'select 1 from realtime.messages');
		// The same choice in each request: which request wins the race is not
		// known, and the totals checked after closing must not depend on it.
		const results = await Promise.all([
			vote(cast.member, election, [cast.deputy.id]),
			vote(cast.member, election, [cast.deputy.id]),
			vote(cast.member, election, [cast.deputy.id])
		]);
		expect(results.filter((r) => r.error === null)).toHaveLength(1);
		for (const r of results.filter((r) => r.error)) expect(r.error?.message).toContain('already_voted');
		expect(
			await countRows(stack, 'select 1 from public.election_voters where election_id = $1', [election])
		).toBe(1);
		expect(
			await countRows(stack, 'select 1 from public.election_ballots where election_id = $1', [election])
		).toBe(1);
		expect((await vote(cast.member, election, [cast.member.id])).error?.message).toContain('already_voted');
		expect((await vote(cast.outsider, election, [cast.deputy.id])).error?.message).toContain('not_allowed');
		expect((await vote(cast.removed, election, [cast.deputy.id])).error?.message).toContain('not_allowed');
		expect((await vote(guest, election, [cast.deputy.id])).error?.message).toContain('not_allowed');
		expect(
			(await cast.anon.client.rpc('cast_ballot', { p_election: election, p_candidates: [cast.deputy.id] }))
				.error
		).not.toBeNull();
		expect((await vote(cast.leader, election, [cast.deputy.id, cast.member.id])).error?.message).toContain(
			'bad_ballot'
		);
	});

	it('while open: who voted is a count only; results are invisible to everyone, facilitators included', async () => {
		expect((await vote(cast.deputy, election, [cast.deputy.id])).error).toBeNull();
		expect((await vote(cast.facilitator, election, [cast.member.id])).error).toBeNull();
		const state = (await cast.facilitator.client.rpc('election_state', { p_election: election }))
			.data as Record<string, unknown>;
		expect(state).toMatchObject({ voted: 3, eligible: 4 });
		expect(JSON.stringify(state)).not.toContain(cast.member.id + '","voted'); // no per-person vote flag
		for (const who of [...membersOf(cast), late]) {
			expect(
				(await who.client.rpc('election_results', { p_election: election })).data,
				'results before closing'
			).toBeNull();
		}
		// Closing early needs every eligible vote, so nobody can close after the first ballots to read them.
		expect(
			(await cast.facilitator.client.rpc('move_election_window', { p_election: election, p_step: 'close' }))
				.error?.message
		).toContain('votes_missing');
	});

	it('no table, RPC or Realtime message links a voter to a choice, for any role', async () => {
		const everyone = [...membersOf(cast), late, guest, cast.outsider, cast.removed];
		for (const who of [...everyone, cast.anon]) {
			const ballots = await who.client.from('election_ballots').select('*');
			expect(refusedOrNoRows(ballots), 'reading ballots').toBe(true);
			const voters = await who.client.from('election_voters').select('*');
			for (const row of voters.data ?? [])
				expect((row as { user_id: string }).user_id).toBe('id' in who ? who.id : '');
			const responses = await who.client.from('evaluation_responses').select('*');
			expect(refusedOrNoRows(responses), 'reading evaluation answers').toBe(true);
		}
		// Every function API roles may call that touches ballots or voters is one of these, and none returns a choice with a person.
		const touching = await stack.sql<{ name: string }>(
			`select p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
			  where n.nspname = 'public' and (p.prosrc ilike '%election_ballots%' or p.prosrc ilike '%election_voters%')
			    and (has_function_privilege('authenticated', p.oid, 'execute') or has_function_privilege('anon', p.oid, 'execute'))
			  order by 1`
		);
		expect(touching.map((r) => r.name)).toEqual([
			'cast_ballot',
			'election_results',
			'election_state',
			'move_election_window',
			'publish_election'
		]);
		// No view in public (a view would run as its owner, past RLS).
		expect(await countRows(stack, "select 1 from pg_views where schemaname = 'public'")).toBe(0);
		// Ballot ids are random (version 4), never time-ordered; ballots carry no time or person.
		const ids = await stack.sql<{ id: string }>('select id::text from public.election_ballots');
		for (const { id } of ids) expect(id[14]).toBe('4');
		const columns = await stack.sql<{ column_name: string }>(
			"select column_name from information_schema.columns where table_schema = 'public' and table_name = 'election_ballots' order by 1"
		);
		expect(columns.map((c) => c.column_name)).toEqual(['candidate_id', 'election_id', 'id']);
		const voterColumns = await stack.sql<{ column_name: string }>(
			"select column_name from information_schema.columns where table_schema = 'public' and table_name = 'election_voters' order by 1"
		);
		expect(voterColumns.map((c) => c.column_name)).toEqual(['election_id', 'user_id']);
		// Realtime: voting sent nothing to any topic (no message at all since the first ballot).
		expect(await countRows(stack, 'select 1 from realtime.messages')).toBe(messagesBefore);
	});

	it('a live subscriber of the space hears nothing while a ballot is cast', async () => {
		const heard: unknown[] = [];
		const channel = cast.facilitator.client.channel(`space:${spaceId}`, { config: { private: true } });
		channel.on('broadcast', { event: '*' }, (m) => heard.push(m));
		await new Promise<void>((resolve) => channel.subscribe((s) => s === 'SUBSCRIBED' && resolve()));
		expect((await vote(cast.leader, election, [cast.member.id])).error).toBeNull();
		await new Promise((r) => setTimeout(r, 800));
		await cast.facilitator.client.removeChannel(channel);
		expect(heard).toEqual([]);
	});

	it('after closing: totals only; a vote is refused; publishing changes the roles in one step', async () => {
		// Everyone eligible voted: closing now is allowed.
		expect(
			(await cast.leader.client.rpc('move_election_window', { p_election: election, p_step: 'close' })).error
		).toBeNull();
		expect((await vote(late, election, [cast.member.id])).error?.message).toContain('election_closed');
		const results = (await cast.member.client.rpc('election_results', { p_election: election })).data as {
			ballots: number;
			totals: { user_id: string; votes: number }[];
		};
		expect(results.ballots).toBe(4);
		expect(Object.fromEntries(results.totals.map((t) => [t.user_id, t.votes]))).toEqual({
			[cast.member.id]: 2,
			[cast.deputy.id]: 2
		});
		expect((await cast.outsider.client.rpc('election_results', { p_election: election })).data).toBeNull();
		// 2-2: a tie at the only seat is refused.
		expect(
			(await cast.leader.client.rpc('publish_election', { p_election: election })).error?.message
		).toContain('tie');
	});

	it('a published election makes the winner leader; the outgoing leader stays a member', async () => {
		const { id } = await create(cast.facilitator);
		await stand(cast.member, id);
		await stand(cast.deputy, id);
		expect(
			(await cast.facilitator.client.rpc('move_election_window', { p_election: id, p_step: 'open' })).error
		).toBeNull();
		for (const who of [cast.facilitator, cast.leader, cast.member])
			expect((await vote(who, id, [cast.member.id])).error).toBeNull();
		expect((await vote(cast.deputy, id, [cast.deputy.id])).error).toBeNull();
		expect((await cast.member.client.rpc('publish_election', { p_election: id })).error?.message).toContain(
			'not_allowed'
		);
		expect((await cast.leader.client.rpc('publish_election', { p_election: id })).error?.message).toContain(
			'election_not_closed'
		);
		expect(
			(await cast.facilitator.client.rpc('move_election_window', { p_election: id, p_step: 'close' })).error
				?.message
		).toContain('votes_missing'); // the newcomer (eligible here: she joined before voting opened) has not voted
		await setSql(
			"update public.elections set opens_at = now() - interval '2 seconds', closes_at = now() - interval '1 second' where id = $1",
			[id]
		);
		const published = await cast.leader.client.rpc('publish_election', { p_election: id });
		expect(published.error).toBeNull();
		expect(published.data).toEqual([cast.member.id]);
		expect(await roleIn(stack, spaceId, cast.member.id)).toBe('leader');
		expect(await roleIn(stack, spaceId, cast.leader.id)).toBe('member');
		expect(await roleIn(stack, spaceId, cast.deputy.id)).toBe('deputy');
		expect(await roleIn(stack, spaceId, cast.facilitator.id)).toBe('facilitator');
		expect(
			(await cast.facilitator.client.rpc('publish_election', { p_election: id })).error?.message
		).toContain('already_published');
		// Put the cast back in its roles for the tests after this one.
		await setSql("update public.space_members set role = 'leader' where space_id = $1 and user_id = $2", [
			spaceId,
			cast.leader.id
		]);
		await setSql("update public.space_members set role = 'member' where space_id = $1 and user_id = $2", [
			spaceId,
			cast.member.id
		]);
	});
});

describe('evaluation forms', () => {
	const make = async (anonymous: boolean) => {
		const id = newId();
		const { error } = await cast.leader.client.rpc('create_evaluation', {
			p_id: id,
			p_space: spaceId,
			p_title: 'Đánh giá buổi tập huấn',
			p_anonymous: anonymous,
			p_questions: [
				{ kind: 'rating', prompt: 'Buổi họp có ích không?' },
				{ kind: 'choice', prompt: 'Giờ họp', choices: ['Hợp lý', 'Quá muộn'] },
				{ kind: 'text', prompt: 'Góp ý' }
			] as never
		});
		expect(error).toBeNull();
		const questions = (
			await cast.member.client
				.from('evaluation_questions')
				.select('id')
				.eq('evaluation_id', id)
				.order('position')
		).data!.map((q) => q.id);
		return { id, questions };
	};

	it('anonymous answers carry no person; a second answer is refused; results for moderators only', async () => {
		const { id, questions } = await make(true);
		const answers = { [questions[0]]: 4, [questions[1]]: 'Quá muộn', [questions[2]]: 'Nên họp sớm hơn' };
		const [a, b] = await Promise.all([
			cast.member.client.rpc('answer_evaluation', { p_evaluation: id, p_answers: answers }),
			cast.member.client.rpc('answer_evaluation', { p_evaluation: id, p_answers: answers })
		]);
		expect([a.error, b.error].filter(Boolean)).toHaveLength(1);
		expect(
			await countRows(
				stack,
				'select 1 from public.evaluation_responses where evaluation_id = $1 and respondent_id is null',
				[id]
			)
		).toBe(1);
		expect(
			(
				await cast.deputy.client.rpc('answer_evaluation', {
					p_evaluation: id,
					p_answers: { [questions[0]]: 9 }
				})
			).error?.message
		).toContain('bad_answer');
		const results = (await cast.deputy.client.rpc('evaluation_results', { p_evaluation: id })).data as {
			rows: { name: string | null }[];
		};
		expect(results.rows).toEqual([{ name: null, answers: answers }]);
		for (const who of [cast.member, guest, cast.outsider, cast.removed]) {
			expect((await who.client.rpc('evaluation_results', { p_evaluation: id })).data).toBeNull();
		}
	});

	it('a named form keeps the name for the moderators', async () => {
		const { id, questions } = await make(false);
		expect(
			(
				await cast.member.client.rpc('answer_evaluation', {
					p_evaluation: id,
					p_answers: { [questions[0]]: 5 }
				})
			).error
		).toBeNull();
		const results = (await cast.leader.client.rpc('evaluation_results', { p_evaluation: id })).data as {
			rows: { name: string }[];
		};
		expect(results.rows[0].name).toBe('Me Member');
	});
});

describe('calendar feed and reminders', () => {
	it('the feed answers its token only, anon included; a reset token stops the old address', async () => {
		const token = randomBytes(24).toString('base64url');
		expect(
			(await cast.member.client.from('calendar_feeds').insert({ user_id: cast.member.id, token })).error
		).toBeNull();
		const feed = (await cast.anon.client.rpc('calendar_feed', { p_token: token })).data as { id: string }[];
		expect(feed.map((m) => m.id)).toContain(meetingId);
		// One character off (never the same character: a random token ends in 'x' one time in 64).
		const wrong = token.slice(0, -1) + (token.endsWith('x') ? 'y' : 'x');
		expect((await cast.anon.client.rpc('calendar_feed', { p_token: wrong })).data).toEqual([]);
		expect((await cast.leader.client.from('calendar_feeds').select('token')).data).toEqual([]);
		const next = randomBytes(24).toString('base64url');
		await cast.member.client.from('calendar_feeds').update({ token: next }).eq('user_id', cast.member.id);
		expect((await cast.anon.client.rpc('calendar_feed', { p_token: token })).data).toEqual([]);
		const otherSpace = await createSpace(cast.outsider, { name: 'Riêng' });
		const outsiderToken = randomBytes(24).toString('base64url');
		await cast.outsider.client
			.from('calendar_feeds')
			.insert({ user_id: cast.outsider.id, token: outsiderToken });
		const theirs = (await cast.anon.client.rpc('calendar_feed', { p_token: outsiderToken })).data as {
			space_id: string;
		}[];
		expect(theirs.every((m) => m.space_id === otherSpace)).toBe(true);
	});

	it('reminders are queued a day and two hours before for those not saying "cannot"; "cannot" drops them', async () => {
		const ecdh = createECDH('prime256v1');
		ecdh.generateKeys();
		const saved = await cast.member.client.rpc('save_push_subscription', {
			p_endpoint: `https://fcm.googleapis.com/fcm/send/${randomBytes(8).toString('hex')}`,
			p_p256dh: ecdh.getPublicKey().toString('base64url'),
			p_auth: randomBytes(16).toString('base64url')
		});
		expect(saved.error).toBeNull();
		// insert, not upsert: ON CONFLICT DO UPDATE needs UPDATE, which the push migration revokes
		const followed = await cast.member.client
			.from('push_spaces')
			.insert({ user_id: cast.member.id, space_id: spaceId });
		expect(followed.error).toBeNull();
		const id = newId();
		expect((await plan(cast.leader, { id, starts: inDays(3) })).error).toBeNull();
		const pending = () =>
			stack.sql<{ run_at: string }>(
				"select run_at::text from public.push_jobs where group_key = $1 and user_id = $2 and status = 'pending' order by run_at",
				['meeting:' + id, cast.member.id]
			);
		expect(await pending()).toHaveLength(2);
		await cast.member.client.rpc('answer_meeting', { p_meeting: id, p_answer: 'cant' });
		expect(await pending()).toHaveLength(0);
		await cast.member.client.rpc('answer_meeting', { p_meeting: id, p_answer: 'going' });
		expect(await pending()).toHaveLength(2);
		await cast.leader.client.from('meetings').update({ cancelled_at: 'now' }).eq('id', id);
		expect(await pending()).toHaveLength(0);
		// People cannot call the queueing function themselves.
		expect(
			(await cast.leader.client.rpc('queue_meeting_reminders' as never, { p_meeting: id } as never)).error
		).not.toBeNull();
	});
});
