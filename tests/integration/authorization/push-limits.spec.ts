// Push subscriptions' limits (issue 20, item 7; 20261205000300_push_limits.sql),
// as the people who would abuse them: one person registering phone after phone
// (the worker sends one request per phone per notification), someone
// registering another person's endpoint to take it over, and endpoints that
// would make the worker POST inside the server's network. The rules are the
// database's, so they hold for the secret key and the SQL editor too.
import { createECDH, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser, startTestStack, type Person, type TestStack } from '../helpers/stack';
import { allowLoopbackPushServices } from '../../../scripts/serve-built';

let stack: TestStack;
let owner: Person;
let taker: Person;
let collector: Person;

/** Fresh keys, as a browser makes them for a new subscription. */
function keys() {
	const ecdh = createECDH('prime256v1');
	ecdh.generateKeys();
	return {
		p_p256dh: ecdh.getPublicKey().toString('base64url'),
		p_auth: randomBytes(16).toString('base64url')
	};
}
const endpoint = () => `https://fcm.googleapis.com/fcm/send/${randomBytes(12).toString('hex')}`;

const save = (who: Person, p_endpoint: string, phoneKeys = keys()) =>
	who.client.rpc('save_push_subscription', { p_endpoint, ...phoneKeys });

const phonesOf = (who: Person) =>
	stack.sql<{ endpoint: string }>(
		'select endpoint from public.push_subscriptions where user_id = $1 order by created_at',
		[who.id]
	);

beforeAll(async () => {
	stack = await startTestStack();
	[owner, taker, collector] = await Promise.all([
		signedInUser(stack, 'Chị Chủ Máy'),
		signedInUser(stack, 'Kẻ Chiếm'),
		signedInUser(stack, 'Sưu Tầm')
	]);
});
afterAll(async () => {
	await stack?.stop();
});

describe('phones per person', () => {
	it('one person keeps at most 10 phones: each new one turns off the one turned on longest ago', async () => {
		const saved: string[] = [];
		for (let i = 0; i < 25; i++) {
			saved.push(endpoint());
			const { error } = await save(collector, saved[i]);
			// A new phone is never refused.
			expect(error).toBeNull();
		}
		expect((await phonesOf(collector)).map((p) => p.endpoint)).toEqual(saved.slice(-10));
		// Turning one on again makes it the newest: the oldest other one goes next.
		expect((await save(collector, saved[15])).error).toBeNull();
		expect((await save(collector, endpoint())).error).toBeNull();
		const now = (await phonesOf(collector)).map((p) => p.endpoint);
		expect(now).toHaveLength(10);
		expect(now).toContain(saved[15]);
		expect(now).not.toContain(saved[16]);
		// Their own list says the same.
		expect((await collector.client.from('push_subscriptions').select('id')).data).toHaveLength(10);
	});

	it('the cap holds for the secret key’s writes too (a trigger, not the RPC)', async () => {
		for (let i = 0; i < 12; i++) {
			const phoneKeys = keys();
			await stack.sql(
				'insert into public.push_subscriptions (user_id, endpoint, p256dh, auth) values ($1, $2, $3, $4)',
				[collector.id, endpoint(), phoneKeys.p_p256dh, phoneKeys.p_auth]
			);
		}
		expect(await phonesOf(collector)).toHaveLength(10);
	});
});

describe('taking over an endpoint', () => {
	it('someone who knows another person’s endpoint cannot move it to their account with other keys', async () => {
		const phone = endpoint();
		const ownerKeys = keys();
		expect((await save(owner, phone, ownerKeys)).error).toBeNull();
		const taken = await save(taker, phone);
		expect(taken.error?.message).toContain('push_endpoint_taken');
		const rows = await stack.sql<{ user_id: string; p256dh: string; auth: string }>(
			'select user_id, p256dh, auth from public.push_subscriptions where endpoint = $1',
			[phone]
		);
		expect(rows).toEqual([{ user_id: owner.id, p256dh: ownerKeys.p_p256dh, auth: ownerKeys.p_auth }]);
		expect((await taker.client.from('push_subscriptions').select('id')).data).toEqual([]);
	});

	it('a shared phone (the same endpoint and keys) moves to whoever turns notifications on with it', async () => {
		const phone = endpoint();
		const phoneKeys = keys();
		expect((await save(owner, phone, phoneKeys)).error).toBeNull();
		expect((await save(taker, phone, phoneKeys)).error).toBeNull();
		expect(
			await stack.sql('select user_id from public.push_subscriptions where endpoint = $1', [phone])
		).toEqual([{ user_id: taker.id }]);
		// Its owner's browser made new keys for it: theirs to change.
		expect((await save(taker, phone, keys())).error).toBeNull();
	});
});

describe('which endpoints', () => {
	const refused = [
		'http://127.0.0.1:54321/rest/v1/',
		'http://localhost:5432/',
		'https://10.0.0.1/push',
		'https://169.254.169.254/latest/meta-data/',
		'https://[::1]/push',
		'https://internal.example.org/push',
		'http://fcm.googleapis.com/fcm/send/abc',
		'https://fcm.googleapis.com.evil.example/fcm/send/abc',
		'https://fcm.googleapis.com@evil.example/fcm/send/abc',
		'https://evil.example/fcm.googleapis.com/abc',
		'https://evilfcm.googleapis.com.example/x',
		'https://fcm.googleapis.com:443@evil.example/x',
		'https://fcm.googleapis.com\\@evil.example/x',
		'https://fcm.googleapis.com/fcm/send/a b'
	];
	const accepted = [
		'https://fcm.googleapis.com/fcm/send/dGVzdA:APA91bH',
		'https://updates.push.services.mozilla.com/wpush/v2/gAAAAABm',
		'https://web.push.apple.com/QGuQyavXutnMPVqUxwDE',
		'https://wns2-db5p.notify.windows.com/w/?token=BQYAAAB%2b',
		'https://FCM.googleapis.com/fcm/send/upper'
	];

	it('only https to the known push services is stored, whoever writes it', async () => {
		for (const url of refused) {
			const { error } = await save(taker, url);
			expect(error?.message, url).toContain('push_endpoint_not_allowed');
			const phoneKeys = keys();
			await expect(
				stack.sql(
					'insert into public.push_subscriptions (user_id, endpoint, p256dh, auth) values ($1, $2, $3, $4)',
					[taker.id, url, phoneKeys.p_p256dh, phoneKeys.p_auth]
				),
				url
			).rejects.toThrow(/push_endpoint_not_allowed/);
		}
		for (const url of accepted) expect((await save(owner, url)).error, url).toBeNull();
		// Moving a stored phone to another address is held to the same rule.
		await expect(
			stack.sql("update public.push_subscriptions set endpoint = 'https://10.0.0.1/x' where endpoint = $1", [
				accepted[0]
			])
		).rejects.toThrow(/push_endpoint_not_allowed/);
	});

	it('nobody reads or changes the list of push services through the API', async () => {
		const read = await taker.client.from('push_services').select('host');
		expect(read.data ?? []).toEqual([]);
		const added = await taker.client.from('push_services').insert({ host: 'evil.example' });
		expect(added.error).not.toBeNull();
		expect(await stack.sql("select host from public.push_services where host = 'evil.example'")).toEqual([]);
	});

	it('the tests’ switch allows plain http to loopback hosts only; an operator’s host takes https', async () => {
		await allowLoopbackPushServices(stack);
		expect((await save(owner, 'http://localhost:4001/push/abc')).error).toBeNull();
		expect((await save(owner, 'http://127.0.0.1:4001/push/abc')).error).toBeNull();
		for (const url of [
			'http://10.0.0.1/push',
			'http://localhost.evil.example/x',
			'http://127.0.0.1.evil.example/x'
		]) {
			expect((await save(owner, url)).error?.message, url).toContain('push_endpoint_not_allowed');
		}
		// Plain http can be switched on for loopback hosts only.
		for (const host of ['10.0.0.1', 'push.example.org', '0.0.0.0', 'localhost.example.org']) {
			await expect(
				stack.sql('insert into public.push_services (host, plain_http) values ($1, true)', [host]),
				host
			).rejects.toThrow(/push_services_host/);
		}
		// A self-hosted push service, added by the operator: https only.
		await stack.sql("insert into public.push_services (host) values ('push.example.org')");
		expect((await save(owner, 'https://eu.push.example.org/x')).error).toBeNull();
		expect((await save(owner, 'http://push.example.org/x')).error?.message).toContain(
			'push_endpoint_not_allowed'
		);
	});
});
