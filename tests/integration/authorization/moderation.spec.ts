// Reporting and moderation (issue 26, items 1-3 and 6), as the reporter, the
// author, the facilitator, a deputy and a leader, a member, a dialogue guest,
// an outsider, a removed member and a programme officer (staff in no space):
// who sees which reports, the hiding threshold counted by different people, a
// hidden post kept from everyone but its author and moderators, decisions the
// author is told about, mutes, each person's own mutes and blocks, the
// new-account limits, and the audit log (written by every listed action, not
// writable through the API, not even with the secret key).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationFor } from '$lib/push/payload';
import { startTestStack, type Person, type TestStack } from '../helpers/stack';
import { createInvite, newId, refusedOrNoRows } from '../helpers/spaces';
import { dialogueInvite } from '../helpers/dialogues';
import {
	claimAll,
	refusedWith,
	replyAs,
	safetyWorld,
	subscribe,
	type SafetyCast,
	type SafetyWorld
} from '../helpers/safety';

let stack: TestStack;
let world: SafetyWorld;
let cast: SafetyCast;
let spaceId: string;
let threadId: string;

const report = (
	who: Person,
	post: string,
	reason: 'harassment' | 'spam' | 'other' = 'harassment',
	note = ''
) => who.client.rpc('report_post', { p_id: newId(), p_post: post, p_reason: reason, p_note: note });

const everyone = () => [
	cast.facilitator,
	cast.leader,
	cast.deputy,
	cast.member,
	cast.author,
	...cast.reporters,
	cast.guest,
	cast.outsider,
	cast.removed,
	cast.officer
];

const auditActions = async (space = spaceId) =>
	(
		await stack.sql<{ action: string }>(
			'select action::text from public.space_audit_log where space_id = $1 order by id',
			[space]
		)
	).map((r) => r.action);

beforeAll(async () => {
	stack = await startTestStack();
	world = await safetyWorld(stack);
	({ cast, spaceId, threadId } = world);
}, 180_000);
afterAll(async () => {
	await stack?.stop();
});

describe('reporting', () => {
	it('members and guests report what they read; not their own, not twice, not after removal, not as strangers', async () => {
		const post = await replyAs(cast.author, threadId, spaceId, 'Chủ trọ sẽ biết các chị là ai.');
		const first = await report(cast.reporters[0], post);
		expect(first.error).toBeNull();
		expect(first.data).toMatchObject({ hidden: false });
		refusedWith(await report(cast.reporters[0], post), 'already_reported');
		refusedWith(await report(cast.author, post), 'own_post');
		refusedWith(await report(cast.reporters[1], post, 'other', '  '), 'note_required');
		for (const who of [cast.removed, cast.outsider, cast.officer, cast.guest]) {
			refusedWith(await report(who, post), 'not_allowed');
		}
		expect((await report({ ...cast.anon, id: '', email: '' }, post)).error).not.toBeNull();
		// A replay of the same report (the same id) is the same report.
		const id = newId();
		const args = { p_id: id, p_post: post, p_reason: 'spam' as const, p_note: '' };
		expect((await cast.reporters[1].client.rpc('report_post', args)).error).toBeNull();
		expect((await cast.reporters[1].client.rpc('report_post', args)).error).toBeNull();
		expect(await stack.sql('select id from public.post_reports where post_id = $1', [post])).toHaveLength(2);
		// Nobody writes reports past the RPC.
		for (const who of everyone()) {
			const forged = await who.client
				.from('post_reports')
				.insert({
					id: newId(),
					post_id: post,
					space_id: spaceId,
					thread_id: threadId,
					reporter_id: who.id,
					reason: 'spam'
				})
				.select('id');
			expect(refusedOrNoRows(forged)).toBe(true);
		}
		expect(await stack.sql('select id from public.post_reports where post_id = $1', [post])).toHaveLength(2);
	});

	it('the reporter sees her own report; the facilitator sees all with names; moderators the queue without names; others nothing', async () => {
		const post = await replyAs(cast.author, threadId, spaceId, 'Ai đi họp sẽ bị đuổi việc.');
		expect((await report(cast.reporters[0], post, 'other', 'Đe doạ')).error).toBeNull();
		const rows = async (who: Person) =>
			(await who.client.from('post_reports').select('reporter_id, note').eq('post_id', post)).data ?? [];
		expect(await rows(cast.facilitator)).toEqual([{ reporter_id: cast.reporters[0].id, note: 'Đe doạ' }]);
		expect(await rows(cast.reporters[0])).toHaveLength(1);
		for (const who of [
			cast.leader,
			cast.deputy,
			cast.member,
			cast.author,
			cast.reporters[1],
			cast.guest,
			cast.outsider,
			cast.removed,
			cast.officer
		]) {
			expect(await rows(who), who.email).toEqual([]);
		}
		const queue = async (who: Person) => {
			const { data } = await who.client.rpc('moderation_queue', { p_space: spaceId });
			return (
				(data ?? []) as { post_id: string; reports: { reporter: string | null; note: string }[] }[]
			).find((item) => item.post_id === post);
		};
		expect((await queue(cast.facilitator))?.reports).toEqual([
			expect.objectContaining({ reporter: 'Rp One', note: 'Đe doạ' })
		]);
		for (const who of [cast.deputy, cast.leader]) {
			expect((await queue(who))?.reports).toEqual([
				expect.objectContaining({ reporter: null, note: 'Đe doạ' })
			]);
		}
		for (const who of [
			cast.member,
			cast.author,
			cast.reporters[0],
			cast.guest,
			cast.outsider,
			cast.removed,
			cast.officer
		]) {
			expect(await queue(who), who.email).toBeUndefined();
		}
	});
});

describe('hiding pending review', () => {
	it('is counted by different people: one account reporting a flood hides nothing', async () => {
		const flooder = cast.reporters[2];
		// The facilitator writes (no new-account limits for moderators).
		const posts: string[] = [];
		for (let i = 0; i < 21; i++)
			posts.push(await replyAs(cast.facilitator, threadId, spaceId, `Thông báo ${i}`));
		for (const post of posts.slice(0, 20)) expect((await report(flooder, post, 'spam')).error).toBeNull();
		refusedWith(await report(flooder, posts[20], 'spam'), 'too_many_reports');
		const hidden = await stack.sql(
			'select id from public.posts where id = any($1) and hidden_at is not null',
			[posts]
		);
		expect(hidden).toEqual([]);
	});

	it('three different people hide a post; only its author and moderators read it; the author is told', async () => {
		const post = await replyAs(cast.author, threadId, spaceId, 'Tôi biết nhà các chị ở đâu.');
		expect((await report(cast.reporters[0], post)).data).toMatchObject({ hidden: false });
		expect((await report(cast.reporters[1], post)).data).toMatchObject({ hidden: false });
		expect((await report(cast.member, post)).data).toMatchObject({ hidden: true });
		const reads = async (who: Person) =>
			(await who.client.from('posts').select('id').eq('id', post)).data ?? [];
		for (const who of [cast.author, cast.facilitator, cast.leader, cast.deputy])
			expect(await reads(who)).toHaveLength(1);
		for (const who of [
			cast.member,
			...cast.reporters,
			cast.guest,
			cast.outsider,
			cast.removed,
			cast.officer
		]) {
			expect(await reads(who), who.email).toEqual([]);
		}
		const page = await cast.member.client.rpc('thread_page', { p_thread: threadId });
		expect(JSON.stringify(page.data)).not.toContain('Tôi biết nhà');
		expect(await auditActions()).toContain('post_hidden');
		const notices = await cast.author.client.rpc('my_moderation_notices');
		expect(notices.data).toEqual(
			expect.arrayContaining([expect.objectContaining({ post_outcome: 'hidden' })])
		);
		// Nobody un-hides it past the moderators' decision, nor hides a post by hand.
		for (const who of [cast.author, cast.facilitator]) {
			refusedWith(await who.client.from('posts').update({ hidden_at: null }).eq('id', post), 'not_allowed');
		}
		const other = await replyAs(cast.member, threadId, spaceId, 'Bình thường');
		refusedWith(
			await cast.member.client.from('posts').update({ hidden_at: new Date().toISOString() }).eq('id', other),
			'not_allowed'
		);
		const born = newId();
		await cast.member.client.from('posts').insert({
			id: born,
			thread_id: threadId,
			space_id: spaceId,
			body: 'x',
			hidden_at: new Date().toISOString()
		});
		expect(await stack.sql('select hidden_at from public.posts where id = $1', [born])).toEqual([
			{ hidden_at: null }
		]);
	});

	it('the number is the space’s setting, which only facilitators change', async () => {
		expect(
			refusedOrNoRows(
				await cast.member.client
					.from('spaces')
					.update({ hide_after_reports: 2 })
					.eq('id', spaceId)
					.select('id')
			)
		).toBe(true);
		expect(
			(await cast.facilitator.client.from('spaces').update({ hide_after_reports: 2 }).eq('id', spaceId)).error
		).toBeNull();
		const post = await replyAs(cast.author, threadId, spaceId, 'Hai người là đủ.');
		await report(cast.reporters[0], post);
		expect((await report(cast.reporters[1], post)).data).toMatchObject({ hidden: true });
		await cast.facilitator.client.from('spaces').update({ hide_after_reports: 3 }).eq('id', spaceId);
		await cast.facilitator.client.rpc('moderate_post', { p_post: post, p_keep: true });
		expect(await stack.sql('select hidden_at from public.posts where id = $1', [post])).toEqual([
			{ hidden_at: null }
		]);
		expect(await auditActions()).toContain('post_restored');
	});
});

describe('decisions', () => {
	it('a moderator removes and mutes with a reason; the author is told in a notice and by push (without the text); others cannot decide', async () => {
		await subscribe(cast.author, spaceId);
		await subscribe(cast.facilitator, spaceId);
		await claimAll(world.service);
		const post = await replyAs(cast.author, threadId, spaceId, 'Lời đe doạ bí mật XYZ');
		expect((await report(cast.reporters[0], post)).error).toBeNull();
		// The facilitator hears of the report, without the post's words or the thread's title.
		const toFacilitator = (await claimAll(world.service)).filter(
			(b) => b.user_id === cast.facilitator.id && b.kind === 'report'
		);
		expect(toFacilitator).toHaveLength(1);
		const shown = notificationFor(toFacilitator[0]);
		expect(JSON.stringify(shown)).not.toContain('XYZ');
		expect(JSON.stringify(shown)).not.toContain('Giờ làm thêm');
		expect(shown.url).toBe(`/spaces/${spaceId}/moderation`);

		for (const who of [
			cast.member,
			cast.author,
			cast.reporters[0],
			cast.guest,
			cast.outsider,
			cast.removed,
			cast.officer
		]) {
			refusedWith(
				await who.client.rpc('moderate_post', { p_post: post, p_keep: false, p_reason: 'x' }),
				'not_allowed'
			);
		}
		refusedWith(
			await cast.deputy.client.rpc('moderate_post', { p_post: post, p_keep: false }),
			'reason_required'
		);
		const decided = await cast.deputy.client.rpc('moderate_post', {
			p_post: post,
			p_keep: false,
			p_person: 'mute',
			p_mute_days: 7,
			p_reason: 'Đe doạ thành viên'
		});
		expect(decided.error).toBeNull();
		expect(
			await stack.sql('select deleted_at is not null as gone from public.posts where id = $1', [post])
		).toEqual([{ gone: true }]);
		const log = await stack.sql<{ action: string; reason: string; actor_id: string }>(
			"select action::text, reason, actor_id from public.space_audit_log where post_id = $1 and action in ('post_removed', 'author_muted')",
			[post]
		);
		expect(log).toEqual(
			expect.arrayContaining([
				{ action: 'post_removed', reason: 'Đe doạ thành viên', actor_id: cast.deputy.id },
				{ action: 'author_muted', reason: 'Đe doạ thành viên', actor_id: cast.deputy.id }
			])
		);
		const notices = (await cast.author.client.rpc('my_moderation_notices')).data as {
			post_outcome: string;
			reason: string;
			muted_until: string | null;
		}[];
		expect(notices[0]).toMatchObject({ post_outcome: 'removed', reason: 'Đe doạ thành viên' });
		expect(notices[0].muted_until).not.toBeNull();
		const toAuthor = (await claimAll(world.service)).filter((b) => b.user_id === cast.author.id);
		expect(toAuthor.map((b) => b.kind)).toEqual(['moderation_notice']);
		expect(JSON.stringify(notificationFor(toAuthor[0] as never))).not.toContain('XYZ');
		// Muted: no reply, no new thread, and the thread says so.
		const muted = await cast.author.client
			.from('posts')
			.insert({ id: newId(), thread_id: threadId, space_id: spaceId, body: 'Lại đây' });
		refusedWith(muted, 'muted');
		refusedWith(
			await cast.author.client.rpc('start_thread', {
				p_space: spaceId,
				p_title: 'Mới',
				p_body: 'x',
				p_topic: 'other'
			}),
			'muted'
		);
		expect((await cast.author.client.rpc('my_posting_limits', { p_space: spaceId })).data).toMatchObject({
			muted_until: expect.any(String) as unknown
		});
		// The mute is readable by the facilitator and the person only.
		for (const who of [cast.leader, cast.member, cast.guest, cast.outsider, cast.officer]) {
			expect((await who.client.from('space_mutes').select('user_id')).data ?? []).toEqual([]);
		}
		expect((await cast.author.client.from('space_mutes').select('user_id')).data).toHaveLength(1);
	});

	it('a guest’s post in a dialogue is moderated by its conveners the same way', async () => {
		const { dialogueId } = world;
		const post = newId();
		expect(
			(
				await cast.guest.client
					.from('posts')
					.insert({ id: post, thread_id: dialogueId, space_id: spaceId, body: 'Ai kêu ca sẽ phải dọn đi.' })
			).error
		).toBeNull();
		refusedWith(await report(cast.guest, post), 'own_post');
		await report(cast.reporters[0], post);
		await report(cast.reporters[1], post);
		expect((await report(cast.member, post)).data).toMatchObject({ hidden: true });
		const queue = (await cast.leader.client.rpc('moderation_queue', { p_space: spaceId })).data as {
			post_id: string;
			author_is_guest: boolean;
			reports: { reporter: string | null }[];
		}[];
		const item = queue.find((q) => q.post_id === post)!;
		expect(item.author_is_guest).toBe(true);
		expect(item.reports.every((r) => r.reporter === null)).toBe(true);
		expect(
			(
				await cast.leader.client.rpc('moderate_post', {
					p_post: post,
					p_keep: false,
					p_person: 'mute',
					p_mute_days: 30,
					p_reason: 'Đe doạ người thuê trọ'
				})
			).error
		).toBeNull();
		refusedWith(
			await cast.guest.client
				.from('posts')
				.insert({ id: newId(), thread_id: dialogueId, space_id: spaceId, body: 'Tôi vẫn ở đây' }),
			'muted'
		);
		const overview = await cast.guest.client.rpc('dialogue_overview', { p_dialogue: dialogueId });
		expect(overview.data?.[0]?.can_post).toBe(false);
		// First told the post was hidden, then what was decided and why (newest first).
		expect((await cast.guest.client.rpc('my_moderation_notices')).data).toEqual([
			expect.objectContaining({
				post_outcome: 'removed',
				reason: 'Đe doạ người thuê trọ',
				muted_until: expect.any(String) as unknown
			}),
			expect.objectContaining({ post_outcome: 'hidden' })
		]);
	});
});

describe('my own mutes and blocks', () => {
	it('are mine alone; a blocked person’s @mention of me is not recorded; strangers cannot be listed', async () => {
		const me = cast.reporters[1];
		for (const kind of ['mute', 'block'] as const) {
			expect(
				(await me.client.rpc('set_person_filter', { p_other: cast.member.id, p_kind: kind, p_on: true }))
					.error
			).toBeNull();
		}
		for (const who of [cast.member, cast.facilitator, cast.outsider]) {
			expect((await who.client.from('person_filters').select('user_id')).data ?? [], who.email).toEqual([]);
		}
		expect((await me.client.from('person_filters').select('kind')).data).toHaveLength(2);
		// Someone else's list cannot be written; nor can a stranger be put on mine.
		expect(
			(
				await cast.member.client
					.from('person_filters')
					.insert({ user_id: me.id, other_id: cast.author.id, kind: 'block' })
			).error
		).not.toBeNull();
		expect(
			(await me.client.rpc('set_person_filter', { p_other: cast.outsider.id, p_kind: 'block', p_on: true }))
				.error
		).not.toBeNull();
		const post = await cast.member.client.rpc('start_thread', {
			p_space: spaceId,
			p_title: 'Nhắc tên',
			p_body: '@Rp Two và @Rp One xem nhé',
			p_topic: 'other'
		});
		expect(post.error).toBeNull();
		const mentioned = await stack.sql<{ user_id: string }>(
			'select m.user_id from public.mentions m join public.posts p on p.id = m.post_id where p.thread_id = $1',
			[post.data]
		);
		expect(mentioned.map((m) => m.user_id)).toEqual([cast.reporters[0].id]);
	});
});

describe('new accounts', () => {
	it('post no links, attach nothing and post 6 times in 10 minutes; a facilitator lifts the limits; members cannot', async () => {
		const newcomer = cast.reporters[2];
		refusedWith(
			await newcomer.client
				.from('posts')
				.insert({ id: newId(), thread_id: threadId, space_id: spaceId, body: 'Xem www.vieclam-nhanh.xyz' }),
			'new_account_no_links'
		);
		const { count } = await newcomer.client
			.from('posts')
			.select('id', { count: 'exact', head: true })
			.eq('author_id', newcomer.id);
		for (let i = count ?? 0; i < 6; i++) await replyAs(newcomer, threadId, spaceId, `Tin ${i}`);
		refusedWith(
			await newcomer.client
				.from('posts')
				.insert({ id: newId(), thread_id: threadId, space_id: spaceId, body: 'Bảy' }),
			'new_account_slow_down'
		);
		expect((await newcomer.client.rpc('my_posting_limits', { p_space: spaceId })).data).toMatchObject({
			new_account: true
		});
		const resource = newId();
		expect(
			(
				await cast.facilitator.client.rpc('add_library_resource', {
					p_id: resource,
					p_space: spaceId,
					p_title: 'Luật lao động',
					p_url: 'https://thuvienphapluat.vn/'
				})
			).error
		).toBeNull();
		refusedWith(
			await newcomer.client
				.from('library_attachments')
				.insert({ resource_id: resource, thread_id: threadId }),
			'new_account_no_attachments'
		);
		refusedWith(
			await cast.member.client.rpc('lift_new_account_limits', { p_space: spaceId, p_user: newcomer.id }),
			'not_allowed'
		);
		expect(
			(
				await cast.facilitator.client.rpc('lift_new_account_limits', {
					p_space: spaceId,
					p_user: newcomer.id
				})
			).error
		).toBeNull();
		await replyAs(newcomer, threadId, spaceId, 'Xem https://thuvienphapluat.vn/');
		expect(
			(
				await newcomer.client
					.from('library_attachments')
					.insert({ resource_id: resource, thread_id: threadId })
			).error
		).toBeNull();
		expect(await auditActions()).toContain('limits_lifted');
	});
});

describe('the audit log', () => {
	it('records roles, removals, invites, dialogue invites, guests muted and removed, and moderation', async () => {
		const invite = await createInvite(cast.facilitator, spaceId, 'member');
		await cast.facilitator.client
			.from('space_invites')
			.update({ revoked_at: new Date().toISOString() })
			.eq('code', invite.code);
		await cast.facilitator.client
			.from('space_members')
			.update({ role: 'leader' })
			.eq('space_id', spaceId)
			.eq('user_id', cast.member.id);
		await cast.facilitator.client
			.from('space_members')
			.update({ role: 'member' })
			.eq('space_id', spaceId)
			.eq('user_id', cast.member.id);
		const dInvite = await dialogueInvite(cast.leader, world.dialogueId);
		await cast.leader.client
			.from('dialogue_invites')
			.update({ revoked_at: new Date().toISOString() })
			.eq('code', dInvite.code);
		await cast.leader.client
			.from('dialogue_guests')
			.update({ muted_at: new Date().toISOString() })
			.eq('user_id', cast.guest.id);
		await cast.leader.client
			.from('dialogue_guests')
			.update({ removed_at: new Date().toISOString() })
			.eq('user_id', cast.guest.id);
		const actions = await auditActions();
		for (const action of [
			'invite_created',
			'invite_cancelled',
			'member_removed',
			'role_changed',
			'dialogue_invite_created',
			'dialogue_invite_cancelled',
			'guest_muted',
			'guest_removed',
			'post_hidden',
			'post_restored',
			'post_removed',
			'author_muted',
			'limits_lifted'
		]) {
			expect(actions, action).toContain(action);
		}
		const removal = await stack.sql<{ actor_id: string; subject_id: string }>(
			"select actor_id, subject_id from public.space_audit_log where action = 'member_removed'"
		);
		expect(removal).toEqual([{ actor_id: cast.facilitator.id, subject_id: cast.removed.id }]);
	});

	it('is read by the space’s facilitators only, and written by nobody through the API, not even the secret key', async () => {
		const read = async (who: Person) =>
			(await who.client.from('space_audit_log').select('id').eq('space_id', spaceId)).data ?? [];
		expect((await read(cast.facilitator)).length).toBeGreaterThan(5);
		expect(
			((await cast.facilitator.client.rpc('space_audit', { p_space: spaceId })).data as unknown[]).length
		).toBeGreaterThan(5);
		for (const who of [
			cast.leader,
			cast.deputy,
			cast.member,
			cast.author,
			cast.guest,
			cast.outsider,
			cast.removed,
			cast.officer
		]) {
			expect(await read(who), who.email).toEqual([]);
			expect((await who.client.rpc('space_audit', { p_space: spaceId })).data, who.email).toEqual([]);
		}
		const before = await stack.sql('select * from public.space_audit_log order by id');
		for (const client of [cast.facilitator.client, world.service]) {
			await client
				.from('space_audit_log')
				.insert({ space_id: spaceId, action: 'post_removed', reason: 'forged' });
			await client.from('space_audit_log').update({ reason: 'rewritten' }).eq('space_id', spaceId);
			await client.from('space_audit_log').update({ actor_id: cast.member.id }).eq('space_id', spaceId);
			await client.from('space_audit_log').delete().eq('space_id', spaceId);
		}
		refusedWith(
			await world.service.from('space_audit_log').delete().eq('space_id', spaceId),
			'audit_log_is_append_only'
		);
		expect(await stack.sql('select * from public.space_audit_log order by id')).toEqual(before);
		for (const who of [cast.facilitator, cast.member]) {
			expect(
				(
					await who.client.rpc(
						'write_audit' as never,
						{ p_space: spaceId, p_action: 'post_removed' } as never
					)
				).error
			).not.toBeNull();
		}
	});
});
