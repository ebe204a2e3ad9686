// The stack's own /auth/v1 limits (../auth-limits.ts), tried as an attacker
// talking to the stack directly would: a stream of passwords, a stream of
// codes, and sign-ups that probe which addresses have accounts. Each client
// here speaks from its own address (the stack reads x-forwarded-for, as behind
// a reverse proxy); only 10.0.0.2 is an app server (trusted).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_RATE_LIMITS, BURST, WRONG_CODE_TRIES } from '../auth-limits';
import { startTestStack, type TestStack } from './helpers';

let stack: TestStack;
const APP_SERVER = '10.0.0.2';
const PASSWORD = 'correct horse battery';
let counter = 0;
let addresses = 0;
/** A new client address each time (so only the limit under test can answer 429). */
const fresh = () => `10.9.${Math.floor(++addresses / 250)}.${addresses % 250}`;

beforeAll(async () => {
	stack = await startTestStack({
		auth: { trustedAddresses: [APP_SERVER], addressHeader: 'x-forwarded-for' }
	});
});
afterAll(() => stack?.stop());

async function auth(path: string, body: unknown, address: string) {
	const response = await fetch(`${stack.url}/auth/v1${path}`, {
		method: 'POST',
		headers: { apikey: stack.publishableKey, 'content-type': 'application/json', 'x-forwarded-for': address },
		body: JSON.stringify(body)
	});
	return {
		status: response.status,
		body: (await response.json().catch(() => null)) as Record<string, unknown>
	};
}

const newestCode = (email: string) => stack.mailbox.list(email)[0]?.code ?? null;

/** A confirmed account, made as the app server would. */
async function account() {
	const email = `direct${Date.now()}${++counter}@example.org`;
	expect((await auth('/signup', { email, password: PASSWORD }, APP_SERVER)).status).toBe(200);
	const verified = await auth('/verify', { email, token: newestCode(email), type: 'signup' }, APP_SERVER);
	expect(verified.status).toBe(200);
	return email;
}

describe('per-address rate limits on /auth/v1', () => {
	it('100 passwords from one address: refused after the first 30, as hosted; other addresses go on', async () => {
		const email = await account();
		const attacker = fresh();
		const statuses: number[] = [];
		for (let i = 0; i < 100; i++) {
			statuses.push(
				(await auth('/token?grant_type=password', { email, password: `guess-${i}` }, attacker)).status
			);
		}
		expect(statuses.filter((s) => s === 400).length).toBeLessThanOrEqual(BURST + 1); // one token may refill meanwhile
		expect(statuses.slice(-60).every((s) => s === 429)).toBe(true);
		const refused = await auth('/token?grant_type=password', { email, password: PASSWORD }, attacker);
		expect(refused).toMatchObject({ status: 429, body: { error_code: 'over_request_rate_limit' } });
		// The owner elsewhere, and the app server (which throttles per person itself), are not held up.
		expect((await auth('/token?grant_type=password', { email, password: PASSWORD }, fresh())).status).toBe(
			200
		);
		for (let i = 0; i < 40; i++) {
			const app = await auth('/token?grant_type=password', { email, password: `app-${i}` }, APP_SERVER);
			expect(app.status).toBe(400);
		}
		expect(AUTH_RATE_LIMITS.signInsAndSignUps.per5Minutes).toBe(30);
	});

	it('300 codes from one address: refused after the first 30', async () => {
		const email = await account();
		const attacker = fresh();
		const statuses: number[] = [];
		for (let i = 0; i < 300; i++) {
			const token = String(i).padStart(6, '0');
			statuses.push((await auth('/verify', { email, token, type: 'magiclink' }, attacker)).status);
		}
		expect(statuses.filter((s) => s !== 429).length).toBeLessThanOrEqual(BURST + 1);
		expect(statuses.slice(-200).every((s) => s === 429)).toBe(true);
	});
});

describe('codes stop working after wrong tries', () => {
	it(`a sign-in code dies after ${WRONG_CODE_TRIES} wrong tries from anywhere; a new one works`, async () => {
		const email = await account();
		expect((await auth('/otp', { email, create_user: false }, fresh())).status).toBe(200);
		const code = newestCode(email)!;
		const wrong = code === '000000' ? '111111' : '000000';
		// Each guess from its own address (a botnet): the per-address limits never see more than one.
		for (let i = 0; i < WRONG_CODE_TRIES; i++) {
			expect((await auth('/verify', { email, token: wrong, type: 'magiclink' }, fresh())).status).toBe(403);
		}
		const late = await auth('/verify', { email, token: code, type: 'magiclink' }, fresh());
		expect(late).toMatchObject({ status: 403, body: { error_code: 'otp_expired' } });

		expect((await auth('/otp', { email, create_user: false }, fresh())).status).toBe(200);
		const next = newestCode(email)!;
		for (let i = 0; i < WRONG_CODE_TRIES - 1; i++) {
			await auth(
				'/verify',
				{ email, token: next === '000000' ? '111111' : '000000', type: 'magiclink' },
				fresh()
			);
		}
		const signedIn = await auth('/verify', { email, token: next, type: 'magiclink' }, fresh());
		expect(signedIn.status).toBe(200);
		expect(signedIn.body.access_token).toBeTruthy();
	});

	it('a sign-up code that died can be sent again, and the new one confirms the account', async () => {
		const email = `unconfirmed${Date.now()}@example.org`;
		expect((await auth('/signup', { email, password: PASSWORD }, fresh())).status).toBe(200);
		const first = newestCode(email)!;
		for (let i = 0; i < WRONG_CODE_TRIES; i++) {
			await auth(
				'/verify',
				{ email, token: first === '000000' ? '111111' : '000000', type: 'signup' },
				fresh()
			);
		}
		expect((await auth('/verify', { email, token: first, type: 'signup' }, fresh())).status).toBe(403);
		expect((await auth('/resend', { email, type: 'signup' }, fresh())).status).toBe(200);
		const second = newestCode(email)!;
		expect(second).not.toBeNull();
		expect(stack.mailbox.list(email)[0].subject).toBe('Your Sahakum code');
		expect((await auth('/verify', { email, token: second, type: 'signup' }, fresh())).status).toBe(200);
	});
});

describe('sign-up', () => {
	it('answers an address that has an account as a new one (200, a user), creating and sending nothing', async () => {
		const existing = await account();
		const mails = stack.mailbox.list(existing).length;
		const before = await stack.sql<{ n: number }>(`select count(*)::int as n from auth.users`);
		const known = await auth('/signup', { email: existing, password: 'another password' }, fresh());
		const unknown = await auth(
			'/signup',
			{ email: `new${Date.now()}@example.org`, password: PASSWORD },
			fresh()
		);
		expect(known.status).toBe(200);
		expect(unknown.status).toBe(known.status);
		expect(known.body).toMatchObject({ email: existing, aud: 'authenticated', identities: [] });
		expect(Object.keys(known.body).sort()).toEqual(
			expect.arrayContaining(['id', 'email', 'confirmation_sent_at', 'created_at'])
		);
		expect(stack.mailbox.list(existing).length).toBe(mails);
		const after = await stack.sql<{ n: number }>(`select count(*)::int as n from auth.users`);
		expect(after[0].n).toBe(before[0].n + 1); // only the new address
		// The existing account's password is unchanged.
		expect(
			(await auth('/token?grant_type=password', { email: existing, password: PASSWORD }, fresh())).status
		).toBe(200);
	});
});
