// Phone sign-in on the local stack (../phone-auth.ts), through supabase-js
// exactly as the app calls it, against GoTrue's answers: sign-up by code and
// by password, sign-in by code, wrong, expired and another number's codes,
// the one-a-minute gap, countries the "provider" does not deliver to, adding a
// number to an email account, and lite's sessions (refresh, /user, RLS).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WRONG_CODE_TRIES } from '../auth-limits';
import { SMS_OTP_EXPIRY_SECONDS } from '../phone-auth';
import { anonClient, signedInUser, startTestStack, type TestStack } from './helpers';

let stack: TestStack;
let serial = 0;
/** A fresh Vietnamese mobile number, E.164. */
const newNumber = () =>
	`+8490${String(Date.now() % 100000).padStart(5, '0')}${String(++serial).padStart(2, '0')}`;
const newestCode = (phone: string) => stack.sms.list(phone)[0]?.code ?? null;
/** A minute passes for the account's last code (hosted's one-a-minute gap). */
const aMinuteLater = (phone: string) =>
	stack.sql(
		`update auth.users set confirmation_sent_at = confirmation_sent_at - interval '61 seconds',
		   phone_change_sent_at = phone_change_sent_at - interval '61 seconds'
		  where phone = $1 or phone_change = $1`,
		[phone.slice(1)]
	);

beforeAll(async () => {
	stack = await startTestStack();
});
afterAll(() => stack?.stop());

describe('phone sign-up and sign-in with a code', () => {
	it('signInWithOtp creates the account, the SMS inbox has the code in the person’s language, the code signs in', async () => {
		const phone = newNumber();
		const client = anonClient(stack);
		const sent = await client.auth.signInWithOtp({
			phone,
			options: { data: { display_name: 'Lan', preferred_language: 'vi' } }
		});
		expect(sent.error).toBeNull();
		const [sms] = stack.sms.list(phone);
		expect(sms).toMatchObject({ to: phone, kind: 'confirmation' });
		expect(sms.text).toBe(`Mã Sahakum: ${sms.code}. Không đưa mã này cho ai.`);
		// Stored as GoTrue stores it: digits without "+", not confirmed yet.
		const [row] = await stack.sql<{ phone: string; phone_confirmed_at: unknown; email: unknown }>(
			`select phone, phone_confirmed_at, email from auth.users where phone = $1`,
			[phone.slice(1)]
		);
		expect(row).toEqual({ phone: phone.slice(1), phone_confirmed_at: null, email: null });

		const verified = await client.auth.verifyOtp({ phone, token: sms.code, type: 'sms' });
		expect(verified.error).toBeNull();
		const user = verified.data.user!;
		expect(user).toMatchObject({ phone: phone.slice(1), email: '' });
		expect(user.phone_confirmed_at).toBeTruthy();
		expect(user.email_confirmed_at).toBeUndefined();
		expect(user.identities?.map((i) => i.provider)).toEqual(['phone']);
		expect(user.app_metadata.providers).toContain('phone');
		expect(user.user_metadata).toMatchObject({ display_name: 'Lan', phone_verified: true });

		// A session as lite makes them: the user, refresh, the person's own rows under RLS.
		expect((await client.auth.getUser()).data.user?.phone_confirmed_at).toBeTruthy();
		const refreshed = await client.auth.refreshSession();
		expect(refreshed.error).toBeNull();
		const profile = await client.from('profiles').select('id, display_name, preferred_language');
		expect(profile.data).toEqual([{ id: user.id, display_name: 'Lan', preferred_language: 'vi' }]);

		// Signing in again later: the same account, a new code.
		await aMinuteLater(phone);
		const again = anonClient(stack);
		expect(
			(await again.auth.signInWithOtp({ phone, options: { shouldCreateUser: false } })).error
		).toBeNull();
		const signedIn = await again.auth.verifyOtp({ phone, token: newestCode(phone), type: 'sms' });
		expect(signedIn.data.user?.id).toBe(user.id);
	});

	it('numbers are read as GoTrue reads them: spaces and + dropped, anything else refused', async () => {
		const client = anonClient(stack);
		const spaced = newNumber();
		const written = `${spaced.slice(0, 3)} ${spaced.slice(3, 6)} ${spaced.slice(6)}`;
		expect((await client.auth.signInWithOtp({ phone: written })).error).toBeNull();
		expect(newestCode(spaced)).toMatch(/^\d{6}$/);
		const bad = await client.auth.signInWithOtp({ phone: '090-123-4567' });
		expect(bad.error).toMatchObject({ status: 400, code: 'validation_failed' });
	});

	it('unknown numbers with shouldCreateUser false: otp_disabled, nothing created, nothing sent', async () => {
		const phone = newNumber();
		const answer = await anonClient(stack).auth.signInWithOtp({
			phone,
			options: { shouldCreateUser: false }
		});
		expect(answer.error).toMatchObject({ status: 422, code: 'otp_disabled' });
		expect(stack.sms.list(phone)).toEqual([]);
		expect(await stack.sql(`select 1 from auth.users where phone = $1`, [phone.slice(1)])).toEqual([]);
	});

	it('one code a minute per number (over_sms_send_rate_limit)', async () => {
		const phone = newNumber();
		const client = anonClient(stack);
		expect((await client.auth.signInWithOtp({ phone })).error).toBeNull();
		const second = await client.auth.signInWithOtp({ phone });
		expect(second.error).toMatchObject({ status: 429, code: 'over_sms_send_rate_limit' });
		expect(stack.sms.list(phone)).toHaveLength(1);
		await aMinuteLater(phone);
		expect((await client.auth.signInWithOtp({ phone })).error).toBeNull();
		expect(stack.sms.list(phone)).toHaveLength(2);
	});

	it('a country the provider does not deliver to: sms_send_failed, no account made', async () => {
		const answer = await anonClient(stack).auth.signInWithOtp({ phone: '+12025550100' });
		expect(answer.error).toMatchObject({ status: 400, code: 'sms_send_failed' });
		expect(await stack.sql(`select 1 from auth.users where phone = '12025550100'`)).toEqual([]);
	});
});

describe('codes that must not work', () => {
	async function waitingCode() {
		const phone = newNumber();
		const client = anonClient(stack);
		expect((await client.auth.signInWithOtp({ phone })).error).toBeNull();
		return { phone, client, code: newestCode(phone) };
	}
	const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

	it('a wrong code, another number’s code, an expired code: otp_expired; the number stays unconfirmed', async () => {
		const first = await waitingCode();
		const second = await waitingCode();
		const wrongAnswer = await first.client.auth.verifyOtp({
			phone: first.phone,
			token: wrong(first.code),
			type: 'sms'
		});
		expect(wrongAnswer.error).toMatchObject({ status: 403, code: 'otp_expired' });
		const crossed = await first.client.auth.verifyOtp({
			phone: first.phone,
			token: second.code,
			type: 'sms'
		});
		expect(crossed.error).toMatchObject({ status: 403, code: 'otp_expired' });

		await stack.sql(
			`update auth.users set confirmation_sent_at = now() - make_interval(secs => $2) where phone = $1`,
			[second.phone.slice(1), SMS_OTP_EXPIRY_SECONDS + 1]
		);
		const expired = await second.client.auth.verifyOtp({
			phone: second.phone,
			token: second.code,
			type: 'sms'
		});
		expect(expired.error).toMatchObject({ status: 403, code: 'otp_expired' });
		const rows = await stack.sql<{ confirmed: boolean }>(
			`select phone_confirmed_at is not null as confirmed from auth.users where phone in ($1, $2)`,
			[first.phone.slice(1), second.phone.slice(1)]
		);
		expect(rows).toEqual([{ confirmed: false }, { confirmed: false }]);
		// Not stuck half made: the first number's own code still works, and a new code comes for the second.
		expect(
			(await first.client.auth.verifyOtp({ phone: first.phone, token: first.code, type: 'sms' })).error
		).toBeNull();
		await aMinuteLater(second.phone);
		expect((await second.client.auth.signInWithOtp({ phone: second.phone })).error).toBeNull();
		const fresh = newestCode(second.phone);
		expect(
			(await second.client.auth.verifyOtp({ phone: second.phone, token: fresh, type: 'sms' })).error
		).toBeNull();
	});

	it(`after ${WRONG_CODE_TRIES} wrong tries the right code no longer works; a new one does`, async () => {
		const { phone, client, code } = await waitingCode();
		for (let i = 0; i < WRONG_CODE_TRIES; i++) {
			const answer = await client.auth.verifyOtp({ phone, token: String(i).padStart(6, '0'), type: 'sms' });
			expect(answer.error?.code).toBe('otp_expired');
		}
		expect((await client.auth.verifyOtp({ phone, token: code, type: 'sms' })).error?.code).toBe(
			'otp_expired'
		);
		await aMinuteLater(phone);
		await client.auth.signInWithOtp({ phone });
		expect((await client.auth.verifyOtp({ phone, token: newestCode(phone), type: 'sms' })).error).toBeNull();
	});

	it('a code is used once', async () => {
		const { phone, client, code } = await waitingCode();
		expect((await client.auth.verifyOtp({ phone, token: code, type: 'sms' })).error).toBeNull();
		const twice = await anonClient(stack).auth.verifyOtp({ phone, token: code, type: 'sms' });
		expect(twice.error?.code).toBe('otp_expired');
	});
});

describe('sign-up with a password, and numbers added to email accounts', () => {
	it('signUp({ phone, password }): a code confirms, then the password signs in; a second sign-up says nothing', async () => {
		const phone = newNumber();
		const client = anonClient(stack);
		const password = 'correct horse battery';
		const signedUp = await client.auth.signUp({
			phone,
			password,
			options: { data: { display_name: 'Sothea' } }
		});
		expect(signedUp.error).toBeNull();
		expect(signedUp.data.session).toBeNull();
		expect(signedUp.data.user?.identities?.map((i) => i.provider)).toEqual(['phone']);
		const early = await client.auth.signInWithPassword({ phone, password });
		expect(early.error).toMatchObject({ code: 'phone_not_confirmed' });
		const verified = await client.auth.verifyOtp({ phone, token: newestCode(phone), type: 'sms' });
		expect(verified.error).toBeNull();
		const signedIn = await anonClient(stack).auth.signInWithPassword({ phone, password });
		expect(signedIn.data.user?.id).toBe(verified.data.user?.id);
		const wrongPassword = await anonClient(stack).auth.signInWithPassword({
			phone,
			password: 'not it at all'
		});
		expect(wrongPassword.error).toMatchObject({ code: 'invalid_credentials' });
		// A confirmed number: hosted's answer that tells nothing, no code sent, the password unchanged.
		const sentBefore = stack.sms.list(phone).length;
		const again = await anonClient(stack).auth.signUp({ phone, password: 'another password 2' });
		expect(again.error).toBeNull();
		expect(again.data.user?.identities).toEqual([]);
		expect(again.data.user?.id).not.toBe(verified.data.user?.id);
		expect(stack.sms.list(phone)).toHaveLength(sentBefore);
		expect((await anonClient(stack).auth.signInWithPassword({ phone, password })).error).toBeNull();
	});

	it('an email account adds a number (updateUser, phone_change code); either then signs in, and a waiting email code survives', async () => {
		const person = await signedInUser(stack, 'Both');
		const phone = newNumber();
		const updated = await person.client.auth.updateUser({ phone });
		expect(updated.error).toBeNull();
		expect(updated.data.user).toMatchObject({ email: person.email, phone: '', new_phone: phone.slice(1) });
		const [sms] = stack.sms.list(phone);
		expect(sms.kind).toBe('phone_change');
		const confirmed = await person.client.auth.verifyOtp({ phone, token: sms.code, type: 'phone_change' });
		expect(confirmed.error).toBeNull();
		expect(confirmed.data.user).toMatchObject({ id: person.id, email: person.email, phone: phone.slice(1) });
		expect(confirmed.data.user?.email_confirmed_at).toBeTruthy();
		expect(confirmed.data.user?.phone_confirmed_at).toBeTruthy();

		// An email sign-in code is waiting while the person signs in by phone: it still works after.
		const byEmail = anonClient(stack);
		await byEmail.auth.signInWithOtp({ email: person.email, options: { shouldCreateUser: false } });
		const emailCode = stack.mailbox.list(person.email)[0].code!;
		const byPhone = anonClient(stack);
		await aMinuteLater(phone);
		expect(
			(await byPhone.auth.signInWithOtp({ phone, options: { shouldCreateUser: false } })).error
		).toBeNull();
		const phoneSession = await byPhone.auth.verifyOtp({ phone, token: newestCode(phone), type: 'sms' });
		expect(phoneSession.data.user?.id).toBe(person.id);
		const emailSession = await byEmail.auth.verifyOtp({
			email: person.email,
			token: emailCode,
			type: 'magiclink'
		});
		expect(emailSession.data.user?.id).toBe(person.id);

		// Another account cannot take that number.
		const other = await signedInUser(stack, 'Other');
		const taken = await other.client.auth.updateUser({ phone });
		expect(taken.error).toMatchObject({ status: 422, code: 'phone_exists' });
	});
});

describe('the SMS inbox', () => {
	it('is a page and a JSON list, filtered by number', async () => {
		const phone = newNumber();
		await anonClient(stack).auth.signInWithOtp({ phone, options: { data: { preferred_language: 'km' } } });
		const list = (await (
			await fetch(`${stack.url}/sms/messages.json?to=${encodeURIComponent(phone)}`)
		).json()) as {
			to: string;
			text: string;
			code: string;
		}[];
		expect(list).toHaveLength(1);
		expect(list[0].text).toBe(`លេខកូដ Sahakum៖ ${list[0].code}។ កុំប្រាប់អ្នកណា។`);
		const page = await (await fetch(`${stack.url}/sms`)).text();
		expect(page).toContain(list[0].code);
		expect(page).toContain('Local SMS inbox');
	});
});
