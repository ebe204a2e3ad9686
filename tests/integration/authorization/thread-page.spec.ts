// The thread page in one call (issue 24, part 4): open_thread_page() runs as
// the caller, so it must give each person exactly what the separate calls the
// page used to send give them (open_thread, my mutes from person_filters, the
// opening post in announcements, announcement_readers for moderators): every
// role of the space, with an announced and a plain thread; and nothing, with no
// read marker, to an outsider and a removed member; anon is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type Person, type TestStack } from '../helpers/stack';
import { createSpace, newId } from '../helpers/spaces';
import { membersOf, moderatorsOf, signUpCast, spaceWithCast, strangersOf, type Cast } from '../helpers/cast';

let stack: TestStack;
let cast: Cast;
let spaceId: string;
let announced: string;
let plain: string;

async function startThread(who: Person, title: string) {
	const id = newId();
	const { error } = await who.client.rpc('start_thread', {
		p_space: spaceId,
		p_title: title,
		p_body: 'Mở đầu',
		p_topic: 'club_life',
		p_id: id
	});
	expect(error).toBeNull();
	return id;
}

const openingOf = async (thread: string) =>
	(
		await stack.sql<{ id: string }>('select id from public.posts where thread_id = $1 and is_opening', [
			thread
		])
	)[0].id;

/** What the page's load put together from its separate calls before open_thread_page(). */
async function separately(who: Person, thread: string) {
	const { data: page } = await who.client.rpc('open_thread', { p_thread: thread, p_mark_read: false });
	if (!page) return null;
	const opening = (page as { posts: { id: string; is_opening: boolean }[] }).posts.find(
		(p) => p.is_opening
	)!.id;
	const mutes = await who.client.from('person_filters').select('other_id').eq('kind', 'mute');
	const marks = await who.client.from('announcements').select('post_id').eq('thread_id', thread);
	const marked = (marks.data ?? []).some((a) => a.post_id === opening);
	const readers = marked ? await who.client.rpc('announcement_readers', { p_post: opening }) : null;
	return {
		...(page as object),
		muted: (mutes.data ?? []).map((f) => f.other_id).sort(),
		announcement: { post_id: opening, marked, readers: readers && !readers.error ? readers.data : null }
	};
}

async function inOneCall(who: Person, thread: string) {
	const { data, error } = await who.client.rpc('open_thread_page', { p_thread: thread, p_mark_read: false });
	expect(error, who.email).toBeNull();
	if (!data) return null;
	const page = data as { muted: string[] };
	return { ...page, muted: [...page.muted].sort() };
}

const marker = async (thread: string, userId: string) =>
	(
		await stack.sql<{ at: string }>(
			'select last_read_at::text as at from public.thread_reads where thread_id = $1 and user_id = $2',
			[thread, userId]
		)
	)[0]?.at ?? null;

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack, ' Thread Page');
	spaceId = await spaceWithCast(cast);
	announced = await startThread(cast.leader, 'Họp tháng 12');
	plain = await startThread(cast.member, 'Hỏi về bảo hiểm');
	const marked = await cast.leader.client.from('announcements').insert({
		post_id: await openingOf(announced),
		space_id: spaceId,
		thread_id: announced,
		marked_by: cast.leader.id
	});
	expect(marked.error).toBeNull();
	// The member has opened the announcement; the deputy has not.
	expect((await cast.member.client.rpc('mark_thread_read', { p_thread: announced })).error).toBeNull();
	// The member folds the leader's posts away, for herself.
	const muted = await cast.member.client
		.from('person_filters')
		.insert({ user_id: cast.member.id, other_id: cast.leader.id, kind: 'mute' });
	expect(muted.error).toBeNull();
}, 120_000);
afterAll(async () => {
	await stack?.stop();
});

describe('open_thread_page', () => {
	it('gives every member what the separate calls give them, for an announced and a plain thread', async () => {
		for (const who of membersOf(cast)) {
			for (const thread of [announced, plain]) {
				const before = await separately(who, thread);
				expect(before, who.email).not.toBeNull();
				expect(await inOneCall(who, thread), who.email).toEqual(before);
			}
		}
	});

	it('is not an empty comparison: mutes, the mark and who has seen it are there for those meant to see them', async () => {
		for (const who of moderatorsOf(cast)) {
			const page = (await inOneCall(who, announced)) as unknown as {
				announcement: { marked: boolean; readers: { user_id: string; seen: boolean }[] | null };
			};
			expect(page.announcement.marked).toBe(true);
			const seen = Object.fromEntries(page.announcement.readers!.map((r) => [r.user_id, r.seen]));
			expect(seen[cast.member.id], who.email).toBe(true);
			expect(seen[cast.deputy.id], who.email).toBe(false);
		}
		const member = (await inOneCall(cast.member, announced)) as unknown as {
			muted: string[];
			announcement: { marked: boolean; readers: unknown };
		};
		expect(member.muted).toEqual([cast.leader.id]);
		// A member sees that it is an announcement, never who has read it.
		expect(member.announcement).toEqual(expect.objectContaining({ marked: true, readers: null }));
		const unmarked = (await inOneCall(cast.leader, plain)) as unknown as {
			announcement: { marked: boolean; readers: unknown };
		};
		expect(unmarked.announcement).toEqual(expect.objectContaining({ marked: false, readers: null }));
	});

	it('moves my read marker only when asked', async () => {
		const before = await marker(plain, cast.deputy.id);
		expect(
			(await cast.deputy.client.rpc('open_thread_page', { p_thread: plain, p_mark_read: false })).error
		).toBeNull();
		expect(await marker(plain, cast.deputy.id)).toBe(before);
		expect((await cast.deputy.client.rpc('open_thread_page', { p_thread: plain })).error).toBeNull();
		const after = await marker(plain, cast.deputy.id);
		expect(after).not.toBeNull();
		expect(after).not.toBe(before);
	});

	it('gives an outsider and a removed member nothing and no read marker, and refuses anon', async () => {
		for (const who of strangersOf(cast)) {
			for (const thread of [announced, plain]) {
				const before = await marker(thread, who.id);
				const { data, error } = await who.client.rpc('open_thread_page', { p_thread: thread });
				expect(error, who.email).toBeNull();
				expect(data, who.email).toBeNull();
				expect(await marker(thread, who.id)).toBe(before);
			}
		}
		expect((await cast.anon.client.rpc('open_thread_page', { p_thread: announced })).error).not.toBeNull();
	});
});

// The thread page and its space's header in one call (issue 24): what the
// space's layout (space_for_member) and the page (open_thread_page) asked for
// separately, only for a member, and only for a thread of that space.
describe('open_thread_in_space', () => {
	const inSpace = async (who: Person, space: string, thread: string, markRead = false) => {
		const { data, error } = await who.client.rpc('open_thread_in_space', {
			p_space: space,
			p_thread: thread,
			p_mark_read: markRead
		});
		expect(error, who.email).toBeNull();
		return data as { space: unknown; page: { muted: string[] } | null } | null;
	};

	it('gives every member the space and the thread page the two calls give them', async () => {
		for (const who of membersOf(cast)) {
			const space = (await who.client.rpc('space_for_member', { p_space: spaceId })).data;
			expect(space, who.email).toEqual(expect.objectContaining({ id: spaceId }));
			for (const thread of [announced, plain]) {
				const opened = await inSpace(who, spaceId, thread);
				expect(opened?.space, who.email).toEqual(space);
				const page = opened!.page!;
				expect({ ...page, muted: [...page.muted].sort() }).toEqual(await inOneCall(who, thread));
			}
		}
	});

	it('moves my read marker only when asked', async () => {
		const before = await marker(announced, cast.deputy.id);
		await inSpace(cast.deputy, spaceId, announced, false);
		expect(await marker(announced, cast.deputy.id)).toBe(before);
		await inSpace(cast.deputy, spaceId, announced, true);
		const after = await marker(announced, cast.deputy.id);
		expect(after).not.toBeNull();
		expect(after).not.toBe(before);
	});

	it('gives a thread of another space as no page, without reading it', async () => {
		// The leader is a member of both spaces, so she may read the other thread on its own page.
		const otherSpace = await createSpace(cast.leader);
		const { error } = await cast.leader.client.rpc('start_thread', {
			p_space: otherSpace,
			p_title: 'Ở nơi khác',
			p_body: 'Mở đầu',
			p_topic: 'club_life',
			p_id: newId()
		});
		expect(error).toBeNull();
		const [{ id: elsewhere }] = await stack.sql<{ id: string }>(
			'select id from public.threads where space_id = $1',
			[otherSpace]
		);
		const before = await marker(elsewhere, cast.leader.id);
		const opened = await inSpace(cast.leader, spaceId, elsewhere, true);
		expect(opened?.space).toEqual(expect.objectContaining({ id: spaceId }));
		expect(opened?.page).toBeNull();
		expect(await marker(elsewhere, cast.leader.id)).toBe(before);
		expect((await inSpace(cast.leader, otherSpace, elsewhere))?.page).not.toBeNull();
	});

	it('gives an outsider and a removed member nothing and no read marker, and refuses anon', async () => {
		for (const who of strangersOf(cast)) {
			for (const thread of [announced, plain]) {
				const before = await marker(thread, who.id);
				expect(await inSpace(who, spaceId, thread, true), who.email).toBeNull();
				expect(await marker(thread, who.id)).toBe(before);
			}
		}
		const refused = await cast.anon.client.rpc('open_thread_in_space', { p_space: spaceId, p_thread: plain });
		expect(refused.error).not.toBeNull();
	});
});

// A space's home page in one call (issue 24): the header, a page of threads and
// the next and last meeting, each what the separate calls gave, members only.
describe('open_space_home', () => {
	const planMeeting = async (topic: string, startsAt: Date) => {
		const id = newId();
		const { error } = await cast.leader.client.rpc('plan_meeting', {
			p_id: id,
			p_space: spaceId,
			p_topic: topic,
			p_starts_at: startsAt.toISOString(),
			p_duration_minutes: 90,
			p_venue: 'Nhà văn hoá',
			p_notice: `Mời họp: ${topic}`
		});
		expect(error).toBeNull();
		return id;
	};

	const separately = async (who: Person) => {
		const now = new Date().toISOString();
		const meetings = () => who.client.from('meetings').select('id, starts_at').eq('space_id', spaceId);
		const next = await who.client
			.from('meetings')
			.select('id, topic, starts_at, venue')
			.eq('space_id', spaceId)
			.is('cancelled_at', null)
			.gte('starts_at', now)
			.order('starts_at')
			.limit(1);
		const last = await meetings().is('cancelled_at', null).lt('starts_at', now).order('starts_at', {
			ascending: false
		});
		return {
			space: (await who.client.rpc('space_for_member', { p_space: spaceId })).data,
			threads: (await who.client.rpc('thread_list', { p_space: spaceId, p_limit: 30 })).data,
			next: next.data?.[0] ?? null,
			last: last.data?.[0] ?? null
		};
	};
	const inOneCall = async (who: Person) => {
		const { data, error } = await who.client.rpc('open_space_home', { p_space: spaceId, p_limit: 30 });
		expect(error, who.email).toBeNull();
		return data as { space: unknown; threads: unknown; next_meeting: unknown; last_meeting: unknown } | null;
	};
	const sameInstant = (a: unknown, b: unknown) =>
		expect(new Date((a as { starts_at: string }).starts_at).getTime()).toBe(
			new Date((b as { starts_at: string }).starts_at).getTime()
		);

	it('gives every member what the separate calls give them: header, threads, next and last meeting', async () => {
		const soon = await planMeeting('Họp tháng sau', new Date(Date.now() + 7 * 86_400_000));
		await planMeeting('Họp năm sau', new Date(Date.now() + 300 * 86_400_000));
		const held = await planMeeting('Họp tháng trước', new Date(Date.now() + 86_400_000));
		await stack.sql(`update public.meetings set starts_at = now() - interval '20 days' where id = $1`, [
			held
		]);
		for (const who of membersOf(cast)) {
			const before = await separately(who);
			const home = (await inOneCall(who))!;
			expect(home.space, who.email).toEqual(before.space);
			expect(home.threads, who.email).toEqual(before.threads);
			expect((home.threads as unknown[]).length).toBeGreaterThanOrEqual(2);
			expect(home.next_meeting).toEqual(expect.objectContaining({ id: soon, topic: 'Họp tháng sau' }));
			expect({ ...(home.next_meeting as object), starts_at: 0 }).toEqual({ ...before.next, starts_at: 0 });
			sameInstant(home.next_meeting, before.next);
			expect(home.last_meeting).toEqual(expect.objectContaining({ id: held }));
			expect((before.last as { id: string }).id).toBe(held);
			sameInstant(home.last_meeting, before.last);
		}
	});

	it('gives an outsider and a removed member nothing, and refuses anon', async () => {
		for (const who of strangersOf(cast)) expect(await inOneCall(who), who.email).toBeNull();
		expect((await cast.anon.client.rpc('open_space_home', { p_space: spaceId })).error).not.toBeNull();
	});
});
