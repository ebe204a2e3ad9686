// Attacks on signing in through the app's own form actions (issue 20, item 4),
// with the throttle's counters in the database:
// - two app servers share one count (in memory, each counted alone: twice the guesses);
// - a stranger's wrong passwords and code requests from other addresses do not
//   lock the owner out: their correct password finishes with an emailed code,
//   and code and reset emails keep coming at one per 5 minutes at worst;
// - sign-up answers the same for an address that has an account (item 9).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, startTestStack, type TestStack } from '../helpers/stack';
import { Browser, loadAppServer, type AppServer } from '../helpers/app-actions';
import { accountSubject, addressSubject } from '$lib/auth/throttle-key.server';

let stack: TestStack;
let app: AppServer;
let otherApp: AppServer;
const PASSWORD = 'correct horse battery';
let counter = 0;

beforeAll(async () => {
	stack = await startTestStack();
	app = await loadAppServer(stack);
	otherApp = await loadAppServer(stack);
});
afterAll(() => stack?.stop());

const newestCode = (email: string) => stack.mailbox.list(email)[0]?.code ?? null;
const mailCount = (email: string) => stack.mailbox.list(email).length;

/** A confirmed account made through the app's sign-up and code pages. */
async function account(address: string) {
	const email = `owner${Date.now()}${++counter}@example.org`;
	const browser = new Browser(address);
	const signedUp = await app(browser, 'signUp', { display_name: 'Owner', email, password: PASSWORD });
	expect(signedUp.location).toBe(`/verify?type=signup&email=${encodeURIComponent(email)}`);
	const verified = await app(
		browser,
		'verify',
		{ email, code: newestCode(email)! },
		{ action: 'verify', search: '?type=signup' }
	);
	expect(verified).toEqual({ status: 303, location: '/' });
	return email;
}

/** Five minutes pass for the account's reserved email (the one an attacker cannot hold back). */
const fiveMinutesLater = () =>
	stack.sql(
		`update private.auth_throttle set paused_until = now() - interval '1 second' where rule = 'email_account_floor'`
	);

describe('sign-in throttle in the database', () => {
	it('counts wrong passwords once for the whole network: two app servers do not double the guesses', async () => {
		const email = await account('10.10.0.1');
		const attacker = new Browser('10.10.0.66');
		const answers = [];
		for (let i = 0; i < 6; i++) {
			const server = i % 2 ? otherApp : app;
			answers.push((await server(attacker, 'signIn', { email, password: `guess-${i}` })).status);
		}
		// Five wrong passwords from one address, then a pause, whichever server is asked.
		expect(answers).toEqual([400, 400, 400, 400, 400, 429]);
		expect((await otherApp(attacker, 'signIn', { email, password: PASSWORD })).status).toBe(429);
	});

	it('a stranger’s 30 wrong passwords and 5 code requests from other addresses do not lock the owner out', async () => {
		const email = await account('10.20.0.1');
		// 30 wrong passwords from six addresses (five each, half on each server), then five code requests.
		for (let a = 0; a < 6; a++) {
			const attacker = new Browser(`10.20.1.${a}`);
			for (let i = 0; i < 5; i++) {
				const answer = await (i % 2 ? otherApp : app)(attacker, 'signIn', { email, password: `g${a}-${i}` });
				expect(answer.status).toBe(400);
			}
		}
		for (let a = 0; a < 5; a++) {
			expect((await app(new Browser(`10.20.2.${a}`), 'code', { email })).status).toBe(303);
		}
		// Per account and address stays: the attacker's own address is still refused.
		const attacker = new Browser('10.20.1.0');
		expect((await app(attacker, 'signIn', { email, password: PASSWORD })).status).toBe(429);

		const owner = new Browser('10.20.0.9');
		// A sign-in code: sent at once (the account's reserved email), not "try again in 15 minutes".
		const mails = mailCount(email);
		expect(await app(owner, 'code', { email })).toEqual({
			status: 303,
			location: `/verify?type=email&email=${encodeURIComponent(email)}`
		});
		expect(mailCount(email)).toBe(mails + 1);
		// Straight after it, a reset waits at most 5 minutes; five minutes later it is sent.
		const soon = await app(owner, 'reset', { email });
		expect(soon.status).toBe(429);
		expect(soon.message).toMatch(/5 minutes/);
		await fiveMinutesLater();
		expect((await app(owner, 'reset', { email })).location).toBe(
			`/reset-password/confirm?email=${encodeURIComponent(email)}`
		);
		expect(mailCount(email)).toBe(mails + 2);

		// The correct password is not refused: it is finished with an emailed code (a step-up).
		await fiveMinutesLater();
		const stepUp = `/verify?type=email&step_up=1&email=${encodeURIComponent(email)}`;
		const password = await app(owner, 'signIn', { email, password: PASSWORD });
		expect(password).toEqual({ status: 303, location: stepUp });
		expect(owner.signedIn).toBe(false); // the password alone did not sign in
		expect(mailCount(email)).toBe(mails + 3);
		const code = newestCode(email)!;
		// A wrong password gets the same answer (the attacker learns nothing) and sends nothing.
		await fiveMinutesLater();
		const guess = await app(new Browser('10.20.3.1'), 'signIn', { email, password: 'another guess' });
		expect(guess).toEqual({ status: 303, location: stepUp });
		expect(mailCount(email)).toBe(mails + 3);

		const verified = await app(owner, 'verify', { email, code }, { action: 'verify', search: '?type=email' });
		expect(verified).toEqual({ status: 303, location: '/' });
		expect(owner.signedIn).toBe(true);
	});

	it('keeps no address in clear and refuses oversized subjects', async () => {
		const email = await account('10.30.0.1');
		await app(new Browser('10.30.0.66'), 'signIn', { email, password: 'wrong password' });
		const rows = await stack.sql<{ rule: string; key_bytes: number; is_account: boolean }>(
			`select rule, octet_length(key) as key_bytes,
			        key = sha256(convert_to('account ' || $1, 'UTF8')) as is_account
			 from private.auth_throttle`,
			[accountSubject(email)]
		);
		expect(rows.every((row) => row.key_bytes === 32)).toBe(true);
		expect(rows.filter((row) => row.is_account).map((row) => row.rule)).toContain('password_account');
		const dump = JSON.stringify(await stack.sql(`select * from private.auth_throttle`));
		expect(dump).not.toContain(email);
		expect(dump).not.toContain('10.30.0.66');

		// Through the API: no reading the table, no forgiving without a session, no huge keys.
		const anon = anonClient(stack);
		expect(
			(
				await anon
					.schema('private' as never)
					.from('auth_throttle' as never)
					.select()
			).data
		).toBeNull();
		const forgive = await anon.rpc('auth_throttle_signed_in', {
			p_email: accountSubject(email),
			p_address: addressSubject('10.30.0.66')
		});
		expect(forgive.error?.code).toBe('42501');
		const huge = await anon.rpc('auth_throttle_failed', {
			p_step: 'password',
			p_email: `${'x'.repeat(400)}@example.org`,
			p_address: '10.30.0.67'
		});
		expect(huge.error?.code).toBe('22001');
	});
});

describe("counting without the app server's key", () => {
	it("a stranger calling the counters with a club's address and a member's email locks out neither", async () => {
		const email = await account('10.50.0.1');
		// The attack: straight to the RPCs with the publishable key, naming the
		// shared Wi-Fi address and the member's email as they are.
		const anon = anonClient(stack);
		for (let i = 0; i < 65; i++) {
			const { error } = await anon.rpc('auth_throttle_failed', {
				p_step: 'password',
				p_email: email,
				p_address: '10.50.0.2'
			});
			expect(error).toBeNull();
		}
		// The member at that address signs in with her password, no step-up, no pause.
		const member = new Browser('10.50.0.2');
		expect(await app(member, 'signIn', { email, password: PASSWORD })).toEqual({
			status: 303,
			location: '/'
		});
		expect(member.signedIn).toBe(true);
	});
});

describe('sign-up', () => {
	it('answers an address that has an account exactly as a new one (the code page)', async () => {
		const existing = await account('10.40.0.1');
		const browser = new Browser('10.40.0.2');
		const answers = [];
		for (const email of [`new${Date.now()}@example.org`, existing]) {
			const answer = await app(browser, 'signUp', { display_name: 'Someone', email, password: PASSWORD });
			answers.push({ ...answer, location: answer.location?.replace(encodeURIComponent(email), '…') });
		}
		expect(answers[0]).toEqual({ status: 303, location: '/verify?type=signup&email=…' });
		expect(answers[1]).toEqual(answers[0]);
	});
});
