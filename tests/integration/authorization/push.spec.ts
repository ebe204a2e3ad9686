// Push notifications: who sees which phone (subscriptions are their owner's
// alone), who may choose which spaces, what the triggers queue (a reply for
// the thread's author and not for the replier, nothing for a removed member,
// dialogue posts for its guests, mentions, actions for their owners), and the
// worker's RPCs, which only the secret key (service_role) may call: claiming
// outside quiet hours, grouping per thread, dropping what the person can no
// longer read, retrying with back-off and forgetting phones that are gone.
import { createECDH, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import type { Database } from '$lib/supabase/database.types';
import { signedInUser, startTestStack, type Person, type TestStack } from '../helpers/stack';
import { newId, refusedOrNoRows, removeMember, invitePerson } from '../helpers/spaces';
import { signUpCast, spaceWithCast, type Cast } from '../helpers/cast';
import { conveneDialogue, inviteGuest } from '../helpers/dialogues';

let stack: TestStack;
let cast: Cast;
let service: SupabaseClient<Database>;
let spaceId: string;
let otherSpace: string;
let threadId: string;
let dialogueId: string;
let guest: Person;
let leaver: Person;

/** A subscription as a browser makes one: an endpoint and the keys (P-256 point, 16-byte secret). */
function fakeSubscription(host = 'https://fcm.googleapis.com/fcm') {
	const ecdh = createECDH('prime256v1');
	ecdh.generateKeys();
	return {
		p_endpoint: `${host}/send/${randomBytes(12).toString('hex')}`,
		p_p256dh: ecdh.getPublicKey().toString('base64url'),
		p_auth: randomBytes(16).toString('base64url')
	};
}

async function subscribe(who: Person, space = spaceId) {
	const subscription = fakeSubscription();
	const saved = await who.client.rpc('save_push_subscription', subscription);
	expect(saved.error).toBeNull();
	const chosen = await who.client.from('push_spaces').insert({ user_id: who.id, space_id: space });
	expect(chosen.error).toBeNull();
	// No quiet hours, so a claim at any hour of the test run takes their jobs.
	const quiet = await who.client
		.from('push_settings')
		.upsert({ user_id: who.id, quiet_start: '00:00', quiet_end: '00:00' });
	expect(quiet.error).toBeNull();
	return subscription;
}

const reply = async (who: Person, thread: string, body: string) => {
	const id = newId();
	const { error } = await who.client.from('posts').insert({ id, thread_id: thread, space_id: spaceId, body });
	expect(error).toBeNull();
	return id;
};

const jobsFor = (userId: string, postId: string) =>
	stack.sql<{ kind: string; status: string }>(
		'select kind::text, status::text from public.push_jobs where user_id = $1 and post_id = $2',
		[userId, postId]
	);

async function claimAll() {
	const { data, error } = await service.rpc('claim_push_jobs', { p_limit: 500 });
	expect(error).toBeNull();
	return data ?? [];
}

/** Marks everything claimable as sent, so a test starts from an empty queue. */
async function drain() {
	const bundles = await claimAll();
	if (bundles.length) {
		await service.rpc('complete_push_jobs', { p_jobs: bundles.flatMap((b) => b.job_ids), p_outcome: 'sent' });
	}
}

beforeAll(async () => {
	stack = await startTestStack();
	service = createClient<Database>(stack.url, stack.secretKey, {
		auth: { persistSession: false, autoRefreshToken: false },
		realtime: { transport: ws as never }
	});
	cast = await signUpCast(stack);
	[guest, leaver] = await Promise.all([
		signedInUser(stack, 'Bình Chủ Trọ'),
		signedInUser(stack, 'Lê Rời Đi')
	]);
	spaceId = await spaceWithCast(cast);
	await invitePerson(cast.facilitator, leaver, spaceId, 'member');
	otherSpace = (
		await cast.outsider.client
			.from('spaces')
			.insert({ id: newId(), name: 'Nhóm khác', created_by: cast.outsider.id })
			.select('id')
	).data![0].id;
	threadId = newId();
	expect(
		(
			await leaver.client.rpc('start_thread', {
				p_space: spaceId,
				p_title: 'Lương làm thêm giờ',
				p_body: 'Ai đã được trả đủ?',
				p_topic: 'labour_law',
				p_id: threadId
			})
		).error
	).toBeNull();
	dialogueId = await conveneDialogue(cast.leader, spaceId);
	await cast.leader.client.from('dialogues').update({ status: 'open' }).eq('id', dialogueId);
	await inviteGuest(cast.leader, guest, dialogueId);
	for (const who of [cast.facilitator, cast.leader, cast.member, leaver, guest]) await subscribe(who);
	await subscribe(cast.outsider, otherSpace);
});
afterAll(async () => {
	await stack?.stop();
});

describe('subscriptions', () => {
	it('only their owner reads a phone’s subscription: anon, outsiders and other members see nothing', async () => {
		const mine = await cast.member.client.from('push_subscriptions').select('user_id, endpoint');
		expect(mine.data?.length).toBe(1);
		expect(mine.data?.every((s) => s.user_id === cast.member.id)).toBe(true);
		for (const who of [cast.facilitator, cast.outsider, guest]) {
			const theirs = await who.client.from('push_subscriptions').select('id').eq('user_id', cast.member.id);
			expect(theirs.data ?? [], who.email).toEqual([]);
		}
		const anon = await cast.anon.client.from('push_subscriptions').select('id');
		expect(anon.data ?? []).toEqual([]);
		expect(await cast.anon.client.rpc('save_push_subscription', fakeSubscription())).toMatchObject({
			data: null
		});
	});

	it('nobody inserts or edits subscriptions directly, and nobody turns off someone else’s phone', async () => {
		const direct = await cast.member.client.from('push_subscriptions').insert({
			user_id: cast.facilitator.id,
			endpoint: fakeSubscription().p_endpoint,
			p256dh: fakeSubscription().p_p256dh,
			auth: fakeSubscription().p_auth
		});
		expect(direct.error).not.toBeNull();
		const moved = await cast.member.client
			.from('push_subscriptions')
			.update({ user_id: cast.facilitator.id })
			.eq('user_id', cast.member.id)
			.select('id');
		expect(refusedOrNoRows(moved)).toBe(true);
		const removed = await cast.facilitator.client
			.from('push_subscriptions')
			.delete()
			.eq('user_id', cast.member.id)
			.select('id');
		expect(refusedOrNoRows(removed)).toBe(true);
		expect(
			await stack.sql('select id from public.push_subscriptions where user_id = $1', [cast.member.id])
		).toHaveLength(1);
	});

	it('bad keys and endpoints are refused by the table; a shared phone’s endpoint moves to whoever subscribes on it', async () => {
		const good = fakeSubscription();
		for (const bad of [
			{ ...good, p_endpoint: 'javascript:alert(1)' },
			{ ...good, p_p256dh: 'short' },
			{ ...good, p_auth: 'x'.repeat(200) }
		]) {
			expect((await cast.deputy.client.rpc('save_push_subscription', bad)).error).not.toBeNull();
		}
		expect((await cast.deputy.client.rpc('save_push_subscription', good)).error).toBeNull();
		expect((await cast.outsider.client.rpc('save_push_subscription', good)).error).toBeNull();
		const owners = await stack.sql<{ user_id: string }>(
			'select user_id from public.push_subscriptions where endpoint = $1',
			[good.p_endpoint]
		);
		expect(owners).toEqual([{ user_id: cast.outsider.id }]);
		expect((await cast.deputy.client.from('push_subscriptions').select('id')).data).toEqual([]);
		// The owner turns it off.
		const off = await cast.outsider.client
			.from('push_subscriptions')
			.delete()
			.eq('endpoint', good.p_endpoint)
			.select('id');
		expect(off.data).toHaveLength(1);
	});
});

describe('choosing spaces and quiet hours', () => {
	it('people choose spaces they belong to (guests: their dialogue’s space), never others’ or for others', async () => {
		const stranger = await cast.outsider.client
			.from('push_spaces')
			.insert({ user_id: cast.outsider.id, space_id: spaceId });
		expect(stranger.error).not.toBeNull();
		const forSomeoneElse = await cast.deputy.client
			.from('push_spaces')
			.insert({ user_id: cast.member.id, space_id: otherSpace });
		expect(forSomeoneElse.error).not.toBeNull();
		const removed = await cast.removed.client
			.from('push_spaces')
			.insert({ user_id: cast.removed.id, space_id: spaceId });
		expect(removed.error).not.toBeNull();
		expect((await guest.client.from('push_spaces').select('space_id')).data).toEqual([{ space_id: spaceId }]);
		for (const who of [cast.facilitator, cast.outsider, cast.anon]) {
			const seen = await who.client.from('push_spaces').select('user_id').eq('user_id', cast.member.id);
			expect(seen.data ?? []).toEqual([]);
		}
	});

	it('quiet hours are their owner’s alone and need a real time zone', async () => {
		const bad = await cast.member.client
			.from('push_settings')
			.update({ time_zone: 'Mars/Olympus' })
			.eq('user_id', cast.member.id)
			.select('user_id');
		expect(bad.error).not.toBeNull();
		const others = await cast.facilitator.client
			.from('push_settings')
			.update({ quiet_start: '01:00' })
			.eq('user_id', cast.member.id)
			.select('user_id');
		expect(refusedOrNoRows(others)).toBe(true);
		expect((await cast.facilitator.client.from('push_settings').select('user_id')).data).toEqual([
			{ user_id: cast.facilitator.id }
		]);
	});
});

describe('what the triggers queue', () => {
	it('a reply queues a job for the thread’s author and those who wrote in it, none for the replier', async () => {
		await drain();
		const first = await reply(cast.member, threadId, 'Tôi chưa được trả.');
		expect(await jobsFor(leaver.id, first)).toEqual([{ kind: 'reply', status: 'pending' }]);
		expect(await jobsFor(cast.member.id, first)).toEqual([]);
		const second = await reply(cast.facilitator, threadId, 'Mình sẽ hỏi công đoàn.');
		expect(await jobsFor(leaver.id, second)).toHaveLength(1);
		expect(await jobsFor(cast.member.id, second)).toEqual([{ kind: 'reply', status: 'pending' }]);
		expect(await jobsFor(cast.facilitator.id, second)).toEqual([]);
		// Not chosen: the leader wrote nothing here and the deputy chose no space.
		expect(await jobsFor(cast.leader.id, second)).toEqual([]);
	});

	it('a mention is one job marked as a mention, also for someone who would get a reply job', async () => {
		const post = await reply(cast.facilitator, threadId, '@Me Member và @Le Leader xem giúp nhé');
		expect(await jobsFor(cast.member.id, post)).toEqual([{ kind: 'mention', status: 'pending' }]);
		expect(await jobsFor(cast.leader.id, post)).toEqual([{ kind: 'mention', status: 'pending' }]);
	});

	it('a guest of a dialogue gets jobs for its new posts; members taking part too; the writer none', async () => {
		const post = await reply(cast.member, dialogueId, 'Giá điện quá cao.');
		expect(await jobsFor(guest.id, post)).toEqual([{ kind: 'dialogue_post', status: 'pending' }]);
		expect(await jobsFor(cast.leader.id, post)).toEqual([{ kind: 'dialogue_post', status: 'pending' }]);
		expect(await jobsFor(cast.member.id, post)).toEqual([]);
		// The guest answers: the member who wrote gets one, the guest does not.
		const answer = await reply(guest, dialogueId, 'Tôi sẽ xem lại hoá đơn.');
		expect(await jobsFor(cast.member.id, answer)).toEqual([{ kind: 'dialogue_post', status: 'pending' }]);
		expect(await jobsFor(guest.id, answer)).toEqual([]);
	});

	it('an anonymous dialogue post queues nothing for its hidden author', async () => {
		const id = newId();
		expect(
			(
				await cast.member.client.rpc('post_anonymously', {
					p_id: id,
					p_dialogue: dialogueId,
					p_body: 'Cổng khoá sớm.'
				})
			).error
		).toBeNull();
		expect(await jobsFor(cast.member.id, id)).toEqual([]);
		expect(await jobsFor(guest.id, id)).toHaveLength(1);
	});

	it('an agreed action queues a job for the guest responsible, not for the convener', async () => {
		const actionId = newId();
		expect(
			(
				await cast.leader.client.rpc('agree_action', {
					p_id: actionId,
					p_dialogue: dialogueId,
					p_description: 'Sửa giá điện theo giá nhà nước',
					p_owner_kind: 'guest',
					p_owner_user: guest.id
				})
			).error
		).toBeNull();
		const jobs = await stack.sql<{ user_id: string; kind: string }>(
			'select user_id, kind::text from public.push_jobs where action_id = $1',
			[actionId]
		);
		expect(jobs).toEqual([{ user_id: guest.id, kind: 'action_assigned' }]);
	});

	it('a removed member gets no job, and jobs queued before the removal are dropped when claimed', async () => {
		await drain();
		const before = await reply(cast.member, threadId, 'Trước khi Lê rời nhóm.');
		expect(await jobsFor(leaver.id, before)).toHaveLength(1);
		await removeMember(cast.facilitator, leaver, spaceId);
		const after = await reply(cast.member, threadId, 'Sau khi Lê rời nhóm.');
		expect(await jobsFor(leaver.id, after)).toEqual([]);
		const bundles = await claimAll();
		expect(bundles.some((b) => b.user_id === leaver.id)).toBe(false);
		expect(await jobsFor(leaver.id, before)).toEqual([{ kind: 'reply', status: 'dropped' }]);
		await service.rpc('complete_push_jobs', { p_jobs: bundles.flatMap((b) => b.job_ids), p_outcome: 'sent' });
	});

	it('people read only their own jobs’ state and cannot write any', async () => {
		const mine = await cast.member.client.from('push_jobs').select('user_id');
		expect(mine.data?.length).toBeGreaterThan(0);
		expect(mine.data?.every((j) => j.user_id === cast.member.id)).toBe(true);
		expect((await cast.anon.client.from('push_jobs').select('id')).data ?? []).toEqual([]);
		const forged = await cast.member.client.from('push_jobs').insert({
			user_id: cast.facilitator.id,
			kind: 'reply',
			space_id: spaceId,
			group_key: 'thread:x',
			dedupe_key: 'forged'
		});
		expect(forged.error).not.toBeNull();
		const sent = await cast.member.client
			.from('push_jobs')
			.update({ status: 'sent' })
			.eq('user_id', cast.member.id)
			.select('id');
		expect(refusedOrNoRows(sent)).toBe(true);
	});
});

describe('the worker’s RPCs', () => {
	it('only service_role claims, completes, drops phones and queues: people and anon are refused', async () => {
		for (const who of [cast.facilitator, cast.member, guest, cast.anon]) {
			expect((await who.client.rpc('claim_push_jobs', {})).error).not.toBeNull();
			expect(
				(await who.client.rpc('complete_push_jobs', { p_jobs: [], p_outcome: 'sent' })).error
			).not.toBeNull();
			expect(
				(await who.client.rpc('drop_push_subscription', { p_endpoint: 'https://x.example/1' })).error
			).not.toBeNull();
			expect((await who.client.rpc('queue_due_push_jobs')).error).not.toBeNull();
			expect(
				(
					await who.client.rpc('queue_push', {
						p_user: cast.member.id,
						p_kind: 'reply',
						p_space: spaceId,
						p_thread: threadId,
						p_post: threadId,
						p_action: threadId,
						p_group: 'x',
						p_dedupe: 'y'
					})
				).error
			).not.toBeNull();
			expect(
				(await who.client.rpc('user_can_read_thread', { p_user: cast.member.id, p_thread: threadId })).error
			).not.toBeNull();
		}
		expect((await service.rpc('claim_push_jobs', { p_limit: 1 })).error).toBeNull();
	});

	it('one bundle per person and thread gathers what arrived meanwhile, in the person’s language', async () => {
		await drain();
		await stack.sql(`update public.profiles set preferred_language = 'km' where id = $1`, [cast.member.id]);
		// Counted since they last read the dialogue: what they were told before that is not "new".
		expect((await cast.member.client.rpc('mark_thread_read', { p_thread: dialogueId })).error).toBeNull();
		await reply(cast.facilitator, dialogueId, 'Một');
		await reply(cast.leader, dialogueId, 'Hai');
		const bundles = (await claimAll()).filter((b) => b.user_id === cast.member.id);
		expect(bundles).toHaveLength(1);
		expect(bundles[0]).toMatchObject({
			group_key: `thread:${dialogueId}`,
			kind: 'dialogue_post',
			language: 'km',
			is_dialogue: true,
			author_name: 'Le Leader',
			excerpt: 'Hai',
			gathered: 2
		});
		expect(bundles[0].job_ids).toHaveLength(2);
		expect(bundles[0].subscriptions).toHaveLength(1);
		// Claimed jobs are leased: a second claim does not take them again.
		expect((await claimAll()).filter((b) => b.user_id === cast.member.id)).toEqual([]);
		expect(
			await service.rpc('complete_push_jobs', { p_jobs: bundles[0].job_ids, p_outcome: 'sent' })
		).toMatchObject({ data: 2 });
	});

	it('a sensitive space lets no name, title or text out', async () => {
		await cast.facilitator.client.from('spaces').update({ sensitive: true }).eq('id', spaceId);
		await reply(cast.leader, dialogueId, 'Chuyện riêng tư');
		const bundle = (await claimAll()).find((b) => b.user_id === cast.member.id)!;
		expect(bundle).toMatchObject({ sensitive: true, thread_title: null, author_name: null, excerpt: null });
		expect(bundle.space_name).toBe('CoP Lao động nữ');
		await service.rpc('complete_push_jobs', { p_jobs: bundle.job_ids, p_outcome: 'sent' });
		await cast.facilitator.client.from('spaces').update({ sensitive: false }).eq('id', spaceId);
	});

	it('quiet hours defer a job (it stays pending) until they end', async () => {
		await drain();
		const now = new Date();
		const hh = (offset: number) =>
			new Intl.DateTimeFormat('en-GB', {
				hour: '2-digit',
				minute: '2-digit',
				hourCycle: 'h23',
				timeZone: 'Asia/Phnom_Penh'
			}).format(new Date(now.getTime() + offset * 3_600_000));
		await cast.member.client
			.from('push_settings')
			.update({ quiet_start: hh(-1), quiet_end: hh(1), time_zone: 'Asia/Phnom_Penh' })
			.eq('user_id', cast.member.id);
		const post = await reply(cast.leader, dialogueId, 'Ban đêm');
		expect((await claimAll()).some((b) => b.user_id === cast.member.id)).toBe(false);
		expect(await jobsFor(cast.member.id, post)).toEqual([{ kind: 'dialogue_post', status: 'pending' }]);
		await cast.member.client
			.from('push_settings')
			.update({ quiet_start: hh(2), quiet_end: hh(3) })
			.eq('user_id', cast.member.id);
		const bundle = (await claimAll()).find((b) => b.user_id === cast.member.id);
		expect(bundle?.job_ids).toHaveLength(1);
		await service.rpc('complete_push_jobs', { p_jobs: bundle!.job_ids, p_outcome: 'sent' });
	});

	it('a failed send is retried with back-off, then marked failed; a gone phone is forgotten and its owner told', async () => {
		await drain();
		const post = await reply(cast.leader, dialogueId, 'Thử lại');
		let bundle = (await claimAll()).find((b) => b.user_id === cast.member.id)!;
		await service.rpc('complete_push_jobs', {
			p_jobs: bundle.job_ids,
			p_outcome: 'retry',
			p_error: 'HTTP 503'
		});
		const [job] = await stack.sql<{ status: string; wait: number; attempts: number }>(
			`select status::text, extract(epoch from run_at - now())::int as wait, attempts
			   from public.push_jobs where user_id = $1 and post_id = $2`,
			[cast.member.id, post]
		);
		expect(job).toMatchObject({ status: 'pending', attempts: 1 });
		expect(job.wait).toBeGreaterThan(20);
		// Due again after the back-off; after 8 attempts, failed (and counted on the settings page).
		await stack.sql(`update public.push_jobs set run_at = now(), attempts = 7 where post_id = $1`, [post]);
		bundle = (await claimAll()).find((b) => b.user_id === cast.member.id)!;
		await service.rpc('complete_push_jobs', {
			p_jobs: bundle.job_ids,
			p_outcome: 'retry',
			p_error: 'timeout'
		});
		expect(await jobsFor(cast.member.id, post)).toEqual([{ kind: 'dialogue_post', status: 'failed' }]);

		const [{ endpoint }] = await stack.sql<{ endpoint: string }>(
			'select endpoint from public.push_subscriptions where user_id = $1',
			[cast.member.id]
		);
		expect(
			(await service.rpc('drop_push_subscription', { p_endpoint: endpoint, p_reason: '410' })).error
		).toBeNull();
		expect((await cast.member.client.from('push_subscriptions').select('id')).data).toEqual([]);
		const settings = await cast.member.client.from('push_settings').select('dropped_at').single();
		expect(settings.data?.dropped_at).not.toBeNull();
		// With no phone left, nothing more is queued for them.
		const later = await reply(cast.leader, dialogueId, 'Không ai nhận');
		expect(await jobsFor(cast.member.id, later)).toEqual([]);
	});

	it('overdue actions queue one notification, once', async () => {
		const actionId = newId();
		await cast.leader.client.rpc('agree_action', {
			p_id: actionId,
			p_dialogue: dialogueId,
			p_description: 'Gắn đèn cổng',
			p_owner_kind: 'guest',
			p_owner_user: guest.id
		});
		await stack.sql(`update public.dialogue_actions set due_on = current_date - 3 where id = $1`, [actionId]);
		expect((await service.rpc('queue_due_push_jobs')).error).toBeNull();
		expect((await service.rpc('queue_due_push_jobs')).error).toBeNull();
		const jobs = await stack.sql<{ user_id: string }>(
			`select user_id from public.push_jobs where action_id = $1 and kind = 'action_overdue' order by user_id`,
			[actionId]
		);
		expect(jobs.map((j) => j.user_id).sort()).toEqual([guest.id, cast.leader.id].sort());
	});
});
