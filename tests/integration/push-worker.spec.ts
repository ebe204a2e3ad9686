// The push worker against the local stack and a local push service
// (web-push-testing, which checks the VAPID signature and decrypts): a reply
// reaches the thread's author once, in Khmer; a push service answering 410
// makes the worker forget that phone and tell its owner; a push service that
// answers 500 or never answers is tried again later, nothing duplicated; with
// the tests' switch on, it still fetches nothing but loopback hosts and the
// known push services.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPushWorker, type PushWorker } from '$lib/push/worker.server';
import { signedInUser, startTestStack, type Person, type TestStack } from './helpers/stack';
import { createSpace, invitePerson, newId } from './helpers/spaces';
import { startPushService, type LocalPushService } from '../push-service';
import { freePort } from '../../scripts/free-port';
import { allowLoopbackPushServices } from '../../scripts/serve-built';

let stack: TestStack;
let pushService: LocalPushService;
let worker: PushWorker;
let author: Person;
let replier: Person;
let spaceId: string;
let threadId: string;
let stalling: Server;
let stallingUrl: string;
const logged: string[] = [];

async function subscribeAuthor(endpoint: string, keys: { p256dh: string; auth: string }) {
	const saved = await author.client.rpc('save_push_subscription', {
		p_endpoint: endpoint,
		p_p256dh: keys.p256dh,
		p_auth: keys.auth
	});
	expect(saved.error).toBeNull();
}

const reply = async (body: string) => {
	const id = newId();
	const { error } = await replier.client
		.from('posts')
		.insert({ id, thread_id: threadId, space_id: spaceId, body });
	expect(error).toBeNull();
	return id;
};

const jobOf = async (postId: string) =>
	(
		await stack.sql<{ status: string; attempts: number; last_error: string | null }>(
			'select status::text, attempts, last_error from public.push_jobs where post_id = $1 and user_id = $2',
			[postId, author.id]
		)
	)[0];

beforeAll(async () => {
	stack = await startTestStack();
	// The database's side of the tests' switch: the local push services speak plain HTTP on loopback.
	await allowLoopbackPushServices(stack);
	pushService = await startPushService();
	// A push service that takes the request and never answers.
	stalling = createServer(() => undefined);
	const port = await freePort();
	await new Promise<void>((resolve) => stalling.listen(port, '127.0.0.1', resolve));
	stallingUrl = `http://127.0.0.1:${port}`;
	author = await signedInUser(stack, 'សុខា ស៊ីម');
	replier = await signedInUser(stack, 'Dara');
	await stack.sql(`update public.profiles set preferred_language = 'km' where id = $1`, [author.id]);
	spaceId = await createSpace(author, { name: 'ក្រុមស្ត្រីកម្មករ' });
	await invitePerson(author, replier, spaceId);
	threadId = newId();
	expect(
		(
			await author.client.rpc('start_thread', {
				p_space: spaceId,
				p_title: 'ប្រាក់ឈ្នួលថែមម៉ោង',
				p_body: 'តើនរណាបានទទួលគ្រប់?',
				p_topic: 'labour_law',
				p_id: threadId
			})
		).error
	).toBeNull();
	expect(
		(await author.client.from('push_spaces').insert({ user_id: author.id, space_id: spaceId })).error
	).toBeNull();
	await author.client
		.from('push_settings')
		.upsert({ user_id: author.id, quiet_start: '00:00', quiet_end: '00:00' });
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
			sendTimeoutMs: 1000,
			log: (line) => logged.push(line)
		},
		{ autorun: false }
	);
});
afterAll(async () => {
	await worker?.stop();
	await pushService?.stop();
	stalling?.closeAllConnections();
	stalling?.close();
	await stack?.stop();
});

describe('the push worker', () => {
	it('delivers a reply to the author’s phone once, encrypted, in Khmer, opening the thread', async () => {
		const subscription = await pushService.subscribe(stack.vapidPublicKey);
		await subscribeAuthor(subscription.endpoint, subscription.keys);
		const post = await reply('ខ្ញុំមិនទាន់បានទទួលទេ');
		expect(await worker.tick()).toBe(1);
		expect(await worker.tick()).toBe(0);
		const messages = (await pushService.messages(subscription.clientHash)).map(
			(text) => JSON.parse(text) as Record<string, string>
		);
		expect(messages).toEqual([
			{
				title: 'Dara បានឆ្លើយតបក្នុង «ប្រាក់ឈ្នួលថែមម៉ោង»',
				body: 'ខ្ញុំមិនទាន់បានទទួលទេ',
				url: `/spaces/${spaceId}/threads/${threadId}`,
				tag: `thread:${threadId}`,
				lang: 'km'
			}
		]);
		expect(await jobOf(post)).toMatchObject({ status: 'sent', attempts: 1 });
	});

	it('a phone whose push service answers 410 is forgotten and its owner told; the job is dropped', async () => {
		const [{ endpoint }] = await stack.sql<{ endpoint: string }>(
			'select endpoint from public.push_subscriptions where user_id = $1',
			[author.id]
		);
		await pushService.expire(endpoint.split('/').pop()!);
		const post = await reply('សួស្ដី');
		await worker.tick();
		expect(await jobOf(post)).toMatchObject({ status: 'dropped', last_error: 'HTTP 410' });
		expect((await author.client.from('push_subscriptions').select('id')).data).toEqual([]);
		expect(
			(await author.client.from('push_settings').select('dropped_at').single()).data?.dropped_at
		).toBeTruthy();
	});

	it('a push service that never answers is tried again later; a 500 too; nothing is lost', async () => {
		await subscribeAuthor(`${stallingUrl}/push/slow`, {
			p256dh: (await pushService.subscribe(stack.vapidPublicKey)).keys.p256dh,
			auth: 'AAAAAAAAAAAAAAAAAAAAAA'
		});
		const post = await reply('យឺត');
		const started = Date.now();
		await worker.tick();
		expect(Date.now() - started).toBeLessThan(5000);
		expect(await jobOf(post)).toMatchObject({ status: 'pending', attempts: 1, last_error: 'timeout' });

		// The same job, now with a phone whose service answers 500 with Retry-After.
		const failing = createServer((_request, response) => {
			response.writeHead(500, { 'retry-after': '120' }).end();
		});
		const port = await freePort();
		await new Promise<void>((resolve) => failing.listen(port, '127.0.0.1', resolve));
		await stack.sql('delete from public.push_subscriptions where user_id = $1', [author.id]);
		await subscribeAuthor(`http://127.0.0.1:${port}/push/down`, {
			p256dh: (await pushService.subscribe(stack.vapidPublicKey)).keys.p256dh,
			auth: 'AAAAAAAAAAAAAAAAAAAAAA'
		});
		await stack.sql('update public.push_jobs set run_at = now() where post_id = $1', [post]);
		await worker.tick();
		const [job] = await stack.sql<{ status: string; attempts: number; wait: number }>(
			`select status::text, attempts, extract(epoch from run_at - now())::int as wait
			   from public.push_jobs where post_id = $1`,
			[post]
		);
		expect(job).toMatchObject({ status: 'pending', attempts: 2 });
		expect(job.wait).toBeGreaterThan(100);
		failing.close();

		// Back on a working phone: the waiting reply arrives, once.
		await stack.sql('delete from public.push_subscriptions where user_id = $1', [author.id]);
		const fresh = await pushService.subscribe(stack.vapidPublicKey);
		await subscribeAuthor(fresh.endpoint, fresh.keys);
		await stack.sql('update public.push_jobs set run_at = now() where post_id = $1', [post]);
		await worker.tick();
		await worker.tick();
		const messages = await pushService.messages(fresh.clientHash);
		expect(messages).toHaveLength(1);
		// Two replies reached the author since they last read the thread (the one sent to the
		// gone phone did not): this notification says so, and replaces the earlier one (same tag).
		expect(JSON.parse(messages[0])).toMatchObject({
			title: 'សារថ្មី 2 ក្នុង «ប្រាក់ឈ្នួលថែមម៉ោង»',
			body: 'Dara: យឺត'
		});
		expect(await jobOf(post)).toMatchObject({ status: 'sent', attempts: 3 });
	});

	it('with the tests’ switch on, it fetches loopback hosts only: other hosts are never asked, and are dropped', async () => {
		// A row stored before the database's rule (20261205000300_push_limits.sql), and
		// a host the database lists but this worker was not told about (PUSH_SERVICE_HOSTS).
		await stack.sql('delete from public.push_subscriptions where user_id = $1', [author.id]);
		const phoneKeys = (await pushService.subscribe(stack.vapidPublicKey)).keys;
		const inside = 'http://10.20.30.40:8080/push/inside';
		await stack.sql(
			`do $$ begin
			   set local session_replication_role = replica;
			   insert into public.push_subscriptions (user_id, endpoint, p256dh, auth)
			   values ('${author.id}', '${inside}', '${phoneKeys.p256dh}', '${phoneKeys.auth}');
			 end $$`
		);
		await stack.sql("insert into public.push_services (host) values ('example.net') on conflict do nothing");
		await subscribeAuthor('https://push.example.net/push/elsewhere', phoneKeys);
		// What the worker asks of the network: loopback goes through; anything else is
		// recorded and never sent (this machine reaches no other host).
		const asked: string[] = [];
		const realFetch = globalThis.fetch;
		globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
			const url = new URL(input instanceof Request ? input.url : input);
			if (['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return realFetch(input, init);
			asked.push(url.href);
			throw new TypeError('fetch failed');
		};
		try {
			const post = await reply('ដល់ណា?');
			await worker.tick();
			expect(asked).toEqual([]);
			expect(await jobOf(post)).toMatchObject({ status: 'dropped' });
			expect((await jobOf(post)).last_error).toContain('endpoint_not_allowed');
			expect(
				await stack.sql('select id from public.push_subscriptions where user_id = $1', [author.id])
			).toEqual([]);
		} finally {
			globalThis.fetch = realFetch;
		}
	});
});
