// Attacks on signing in, tried against the production server (server.js) as
// an attacker would send them. This file starts its own app server, on the
// e2e run's stack, with ADDRESS_HEADER=x-forwarded-for (as behind a proxy),
// so each test can speak from its own client address.
import { spawn, type ChildProcess } from 'node:child_process';
import { expect, request, test, type APIRequestContext } from './test';
import { freePort } from '../../scripts/free-port';
import { HOSTILE_RETURN_PATHS } from '../fixtures/hostile-return-paths';
import { readCodeFromMailbox, stackUrl, uniqueEmail } from './helpers';

let server: ChildProcess;
let baseURL: string;

test.beforeAll(async () => {
	const port = await freePort();
	baseURL = `http://127.0.0.1:${port}`;
	server = spawn(process.execPath, ['server.js'], {
		stdio: ['ignore', 'ignore', 'inherit'],
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: baseURL,
			ADDRESS_HEADER: 'x-forwarded-for',
			PUBLIC_SUPABASE_URL: stackUrl(),
			PUBLIC_SUPABASE_ANON_KEY: process.env.E2E_STACK_KEY ?? ''
		}
	});
	for (let i = 0; i < 100; i++) {
		try {
			if ((await fetch(baseURL, { headers: { 'x-forwarded-for': '10.9.9.9' } })).status < 500) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error('the second app server did not start');
});
test.afterAll(() => {
	server?.kill('SIGTERM');
});

/** A client at its own address, posting forms the way a browser without JavaScript does. */
async function clientAt(address: string): Promise<APIRequestContext> {
	return request.newContext({
		baseURL,
		extraHTTPHeaders: { 'x-forwarded-for': address, origin: baseURL, accept: 'text/html' },
		maxRedirects: 0
	});
}

/** Creates a confirmed account through the app, from its own address. */
async function account(page: import('@playwright/test').Page, address: string) {
	const email = uniqueEmail('target');
	const client = await clientAt(address);
	const signedUp = await client.post('/sign-up', {
		form: { display_name: 'Target', email, password: 'correct horse battery' }
	});
	expect(signedUp.status()).toBe(303);
	const code = await readCodeFromMailbox(page, email);
	const verified = await client.post(`/verify?/verify&type=signup`, { form: { email, code } });
	expect(verified.status()).toBe(303);
	await client.dispose();
	return email;
}

const signIn = (client: APIRequestContext, email: string, password: string, next = '/') =>
	client.post(`/sign-in?next=${encodeURIComponent(next)}`, { form: { email, password } });

test('password guessing is throttled per account and address; the owner elsewhere and other people are not', async ({
	page
}) => {
	const email = await account(page, '10.1.0.1');
	const attacker = await clientAt('10.1.0.66');
	for (let i = 0; i < 5; i++) {
		const wrong = await signIn(attacker, email, `guess-${i}-xx`);
		expect(wrong.status(), `guess ${i}`).toBe(400);
	}
	const throttled = await signIn(attacker, email, 'guess-again-xx');
	expect(throttled.status()).toBe(429);
	const html = await throttled.text();
	expect(html).toContain('try again in 1 minute');
	expect(html).toContain(`value="${email}"`); // what was typed is kept
	// Even the right password waits, from the attacker's address.
	expect((await signIn(attacker, email, 'correct horse battery')).status()).toBe(429);

	// The owner, on their own phone, signs in at once; so does someone else at the attacker's address.
	const owner = await clientAt('10.1.0.2');
	const ok = await signIn(owner, email, 'correct horse battery');
	expect(ok.status()).toBe(303);
	const cookie = ok.headers()['set-cookie'] ?? '';
	expect(cookie).toMatch(/HttpOnly/i);
	const maxAge = Number(/Max-Age=(\d+)/i.exec(cookie)?.[1]);
	expect(maxAge).toBeGreaterThan(0);
	expect(maxAge).toBeLessThanOrEqual(30 * 24 * 3600);
	const neighbour = await account(page, '10.1.0.3');
	expect((await signIn(attacker, neighbour, 'correct horse battery')).status()).toBe(303);
	await Promise.all([attacker.dispose(), owner.dispose()]);
});

test('guessing an emailed code stops after five tries; the code then stops working, and a new one works', async ({
	page
}) => {
	const email = await account(page, '10.2.0.1');
	const owner = await clientAt('10.2.0.1');
	expect((await owner.post('/sign-in/code', { form: { email } })).status()).toBe(303);
	const code = await readCodeFromMailbox(page, email);
	const wrong = code === '000000' ? '111111' : '000000';

	const attacker = await clientAt('10.2.0.66');
	const verify = (client: APIRequestContext, guess: string) =>
		client.post('/verify?/verify&type=email', { form: { email, code: guess } });
	for (let i = 0; i < 5; i++) expect((await verify(attacker, wrong)).status()).toBe(400);
	const paused = await verify(attacker, code);
	expect(paused.status()).toBe(429);
	expect(await paused.text()).toContain('try again in 15 minutes');

	// The stack, as the platform, ends a code after five wrong tries (from any address): the
	// owner's code no longer works, however fast they are; a new one does.
	const spent = await verify(owner, code);
	expect(spent.status()).toBe(400);
	expect(await spent.text()).toContain('This code is wrong or has expired');
	expect((await owner.post('/sign-in/code', { form: { email } })).status()).toBe(303);
	const fresh = await readCodeFromMailbox(page, email);
	const signedIn = await verify(owner, fresh);
	expect(signedIn.status()).toBe(303);
	expect(signedIn.headers()['location']).toBe('/');
	await Promise.all([attacker.dispose(), owner.dispose()]);
});

test('asking for a sign-in code answers the same for known and unknown emails', async ({ page }) => {
	const known = await account(page, '10.3.0.1');
	const client = await clientAt('10.3.0.2');
	const answers = [];
	for (const email of [known, uniqueEmail('nobody')]) {
		const response = await client.post('/sign-in/code', { form: { email } });
		answers.push([
			response.status(),
			response.headers()['location']?.replace(encodeURIComponent(email), '…')
		]);
	}
	expect(answers[0]).toEqual([303, '/verify?type=email&email=…']);
	expect(answers[1]).toEqual(answers[0]);
	await client.dispose();
});

test(`no open redirect: ${HOSTILE_RETURN_PATHS.length} return paths after sign-in and after choosing a language`, async ({
	page
}) => {
	const email = await account(page, '10.4.0.1');
	const client = await clientAt('10.4.0.1');
	for (const next of HOSTILE_RETURN_PATHS) {
		const response = await signIn(client, email, 'correct horse battery', next);
		expect(response.status(), JSON.stringify(next)).toBe(303);
		expect(response.headers()['location'], JSON.stringify(next)).toBe('/');
		const language = await client.post('/language', { form: { locale: 'vi', return_to: next } });
		expect(language.status(), JSON.stringify(next)).toBe(303);
		expect(language.headers()['location'], JSON.stringify(next)).toBe('/');
	}
	// A path on the site is kept.
	const kept = await signIn(client, email, 'correct horse battery', '/library?topic=health');
	expect(kept.headers()['location']).toBe('/library?topic=health');
	await client.dispose();
});

test('every response says nosniff, static files included, and pages come compressed', async () => {
	const client = await clientAt('10.5.0.1');
	const page = await client.get('/sign-in', { headers: { 'accept-encoding': 'br, gzip' } });
	expect(page.headers()['x-content-type-options']).toBe('nosniff');
	expect(page.headers()['content-encoding']).toMatch(/^(br|gzip)$/);
	const manifest = await client.get('/manifest.webmanifest');
	expect(manifest.status()).toBe(200);
	expect(manifest.headers()['x-content-type-options']).toBe('nosniff');
	const html = await (await client.get('/sign-in', { headers: { 'accept-encoding': 'identity' } })).text();
	// Build files are linked relative to the page ("./_app/immutable/…").
	const asset = /"(?:\.\/|\/)?(_app\/immutable\/[^"]+)"/.exec(html)?.[1];
	expect(asset).toBeTruthy();
	const file = await client.get(`/${asset}`);
	expect(file.status()).toBe(200);
	expect(file.headers()['x-content-type-options']).toBe('nosniff');
	await client.dispose();
});
