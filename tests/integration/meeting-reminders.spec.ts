// Meeting reminders and quiet hours (issue 25), end to end on the real stack:
// the meeting's trigger queues the reminders, the real push worker claims and
// sends them to a local push service (web-push-testing, which checks the VAPID
// signature and decrypts). The push capability's rule: a job due inside the
// recipient's quiet hours stays pending (deferred, never dropped) and goes out
// once they are over. Time is driven through the database, not mocked: the
// meeting is set two hours and a few seconds from now (its "two hours before"
// reminder falls due a few seconds later), and one member's quiet hours are
// set around now, then moved so that they ended a minute ago.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPushWorker, type PushWorker } from '$lib/push/worker.server';
import { signedInUser, startTestStack, type Person, type TestStack } from './helpers/stack';
import { createSpace, invitePerson, newId } from './helpers/spaces';
import { startPushService, type LocalPushService } from '../push-service';
import { allowLoopbackPushServices } from '../../scripts/serve-built';

let stack: TestStack;
let pushService: LocalPushService;
let worker: PushWorker;
let leader: Person;
let held: Person; // going; her quiet hours are now
let awake: Person; // has not answered; no quiet hours
let cant: Person; // answered "can't"; no quiet hours either
const phones = new Map<string, string>();
let spaceId: string;
let meetingId: string;
const topic = 'Họp CLB: bảo hiểm xã hội';

/** 'HH:MM' in UTC, minutes from now. */
const utcClock = (minutesFromNow: number) =>
	new Date(Date.now() + minutesFromNow * 60_000).toISOString().slice(11, 16);

const quietHours = (who: Person, start: string, end: string) =>
	who.client
		.from('push_settings')
		.upsert({ user_id: who.id, quiet_start: start, quiet_end: end, time_zone: 'UTC' });

const received = async (who: Person) =>
	(await pushService.messages(phones.get(who.id)!)).map((text) => JSON.parse(text) as Record<string, string>);

const jobs = (who: Person) =>
	stack.sql<{ status: string }>(
		'select status::text from public.push_jobs where group_key = $1 and user_id = $2 order by created_at',
		['meeting:' + meetingId, who.id]
	);

beforeAll(async () => {
	stack = await startTestStack();
	await allowLoopbackPushServices(stack);
	pushService = await startPushService();
	[leader, held, awake, cant] = await Promise.all([
		signedInUser(stack, 'Le Leader'),
		signedInUser(stack, 'Hoa Held'),
		signedInUser(stack, 'An Awake'),
		signedInUser(stack, 'Cam Cant')
	]);
	spaceId = await createSpace(leader, { name: 'CLB Phụ nữ Khu trọ' });
	for (const who of [held, awake, cant]) {
		await invitePerson(leader, who, spaceId);
		const phone = await pushService.subscribe(stack.vapidPublicKey);
		phones.set(who.id, phone.clientHash);
		const saved = await who.client.rpc('save_push_subscription', {
			p_endpoint: phone.endpoint,
			p_p256dh: phone.keys.p256dh,
			p_auth: phone.keys.auth
		});
		expect(saved.error).toBeNull();
		// insert, not upsert: ON CONFLICT DO UPDATE needs UPDATE, which the push migration revokes
		const followed = await who.client.from('push_spaces').insert({ user_id: who.id, space_id: spaceId });
		expect(followed.error).toBeNull();
	}
	// Quiet from an hour ago to an hour from now (UTC), for Hoa only.
	expect((await quietHours(held, utcClock(-60), utcClock(60))).error).toBeNull();
	expect((await quietHours(awake, '00:00', '00:00')).error).toBeNull();
	expect((await quietHours(cant, '00:00', '00:00')).error).toBeNull();
	worker = startPushWorker(
		{
			supabaseUrl: stack.url,
			secretKey: stack.secretKey,
			vapid: {
				publicKey: stack.vapidPublicKey,
				privateKey: stack.vapidPrivateKey,
				subject: 'mailto:push@sahakum.invalid'
			},
			intervalMs: 1000,
			allowInsecureEndpoints: true,
			extraPushHosts: [],
			sendTimeoutMs: 2000,
			log: () => undefined
		},
		{ autorun: false }
	);
}, 120_000);

afterAll(async () => {
	await worker?.stop();
	await pushService?.stop();
	await stack?.stop();
});

describe('meeting reminders and quiet hours', () => {
	it('a reminder due in quiet hours waits and arrives once they end; "can\'t" gets none', async () => {
		meetingId = newId();
		// Two hours and four seconds away: the day-before reminder is already past (not queued),
		// the two-hours-before one falls due in four seconds.
		const planned = await leader.client.rpc('plan_meeting', {
			p_id: meetingId,
			p_space: spaceId,
			p_topic: topic,
			p_starts_at: new Date(Date.now() + 2 * 3_600_000 + 4_000).toISOString(),
			p_duration_minutes: 90,
			p_venue: 'Nhà văn hoá',
			p_notice: 'Họp tối nay'
		});
		expect(planned.error).toBeNull();
		expect(
			(await held.client.rpc('answer_meeting', { p_meeting: meetingId, p_answer: 'going' })).error
		).toBeNull();
		expect(
			(await cant.client.rpc('answer_meeting', { p_meeting: meetingId, p_answer: 'cant' })).error
		).toBeNull();
		expect((await jobs(held)).map((j) => j.status)).toEqual(['pending']);
		expect((await jobs(awake)).map((j) => j.status)).toEqual(['pending']);
		expect((await jobs(cant)).filter((j) => j.status === 'pending')).toHaveLength(0);

		// Wait (on the database's clock) until the reminder is due.
		for (let i = 0; i < 40; i++) {
			const [due] = await stack.sql<{ due: boolean }>(
				"select bool_and(run_at <= now()) as due from public.push_jobs where group_key = $1 and status = 'pending'",
				['meeting:' + meetingId]
			);
			if (due.due) break;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}

		await worker.tick();
		await worker.tick();
		const theirs = await received(awake);
		expect(theirs).toHaveLength(1);
		expect(theirs[0].title).toContain(topic);
		// Hoa's is held: not sent, not dropped.
		expect(await received(held)).toEqual([]);
		expect((await jobs(held)).map((j) => j.status)).toEqual(['pending']);

		// Her quiet hours end: the same window, now over a minute ago.
		expect((await quietHours(held, utcClock(-120), utcClock(-1))).error).toBeNull();
		await worker.tick();
		await worker.tick();
		const hers = await received(held);
		expect(hers).toHaveLength(1);
		expect(hers[0].title).toContain(topic);
		expect(hers[0].url).toBe(`/spaces/${spaceId}/threads/${meetingId}`);
		expect((await jobs(held)).map((j) => j.status)).toEqual(['sent']);
		// Nothing twice, and nothing ever for the member who cannot come.
		expect(await received(awake)).toHaveLength(1);
		expect(await received(cant)).toEqual([]);
		expect((await jobs(cant)).filter((j) => j.status !== 'dropped')).toHaveLength(0);
	});
});
