// Signing up and in with a phone number through the app's own form actions
// (issue 22, part 1), on the local stack's phone auth and SMS inbox:
// - sign-up and sign-in by SMS code, numbers typed as people write them,
//   codes typed with spaces and Khmer digits;
// - bad numbers, wrong, crossed and expired codes: a translated message, no
//   account stuck half made;
// - SMS pumping: 100 code requests for one number, for many numbers from one
//   address, for the numbers of one block; wrong codes per block;
// - invites carried through, also to a code typed on another phone;
// - a profile with both email and phone, either signing in; the same name by
//   phone and by email makes two accounts; RLS unchanged for phone accounts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, signedInUser, startTestStack, type TestStack } from '../helpers/stack';
import { Browser, loadAppServer, type Answer, type AppServer } from '../helpers/app-actions';
import { createInvite, createSpace } from '../helpers/spaces';
import { toAsciiDigits } from '$lib/auth/phone';

let stack: TestStack;
let app: AppServer;
let serial = 0;
let addresses = 0;
/** A new client address each time (so only the limit under test can answer 429). */
const fresh = () => `10.22.${Math.floor(++addresses / 250)}.${addresses % 250}`;
/** A fresh Vietnamese mobile number in its own block, E.164. */
const newNumber = () =>
	`+849${String(++serial).padStart(4, '0')}${String(Date.now() % 10000).padStart(4, '0')}`;
/** As a person writes it: the leading 0 and spaces. */
const written = (e164: string) => `0${e164.slice(3, 6)} ${e164.slice(6, 9)} ${e164.slice(9)}`;
const newestCode = (e164: string) => stack.sms.list(e164)[0]?.code ?? null;
/** A minute passes for the number's last code (Supabase Auth's own one-a-minute gap). */
const aMinuteLater = (e164: string) =>
	stack.sql(
		`update auth.users set confirmation_sent_at = confirmation_sent_at - interval '61 seconds' where phone = $1`,
		[e164.slice(1)]
	);
const codePage = (e164: string, extra = '') => `/verify?type=sms&phone=${encodeURIComponent(e164)}${extra}`;
/** A refusal with this status and a message that says this. */
function refused(answer: Answer, status: number, message: RegExp) {
	expect(answer.status).toBe(status);
	expect(answer.message).toMatch(message);
}
const khmer = (digits: string) => [...digits].map((d) => String.fromCodePoint(0x17e0 + Number(d))).join('');

beforeAll(async () => {
	stack = await startTestStack();
	app = await loadAppServer(stack);
});
afterAll(() => stack?.stop());

async function signUpByPhone(browser: Browser, name: string, e164 = newNumber(), search = '') {
	const answer = await app(
		browser,
		'signUpPhone',
		{ display_name: name, country: '84', phone: written(e164) },
		{ search }
	);
	return { e164, answer };
}

async function verify(browser: Browser, e164: string, code: string, search = '?type=sms') {
	return app(browser, 'verify', { phone: e164, code }, { action: 'verify', search });
}

describe('phone sign-up and sign-in', () => {
	it('signs up with a number as people write it and a code typed in Khmer digits with a space', async () => {
		const browser = new Browser('10.21.0.1');
		const { e164, answer } = await signUpByPhone(browser, 'Nguyễn Thị Lan');
		expect(answer).toEqual({ status: 303, location: codePage(e164, '&new=1') });
		const code = newestCode(e164);
		expect(code).toMatch(/^\d{6}$/);
		const typed = `${khmer(code.slice(0, 3))} ${khmer(code.slice(3))}`;
		expect(toAsciiDigits(typed)).toBe(`${code.slice(0, 3)} ${code.slice(3)}`);
		expect(await verify(browser, e164, typed)).toEqual({ status: 303, location: '/' });
		expect(browser.signedIn).toBe(true);
		const [row] = await stack.sql<{ name: string; email: string | null; confirmed: boolean }>(
			`select p.display_name as name, u.email, u.phone_confirmed_at is not null as confirmed
			   from auth.users u join public.profiles p on p.id = u.id where u.phone = $1`,
			[e164.slice(1)]
		);
		expect(row).toEqual({ name: 'Nguyễn Thị Lan', email: null, confirmed: true });
	});

	it('signs in with a code; an unknown number gets the same answer and no SMS', async () => {
		const { e164 } = await signUpByPhone(new Browser('10.21.0.2'), 'Mai');
		await verify(new Browser('10.21.0.2'), e164, newestCode(e164));
		await aMinuteLater(e164);
		const browser = new Browser('10.21.0.3');
		const asked = await app(browser, 'signInPhone', { country: '84', phone: `+84 ${e164.slice(3)}` });
		expect(asked).toEqual({ status: 303, location: codePage(e164) });
		expect(stack.sms.list(e164)).toHaveLength(2);
		expect(await verify(browser, e164, newestCode(e164))).toEqual({ status: 303, location: '/' });

		const unknown = newNumber();
		const answer = await app(new Browser('10.21.0.4'), 'signInPhone', {
			country: '84',
			phone: written(unknown)
		});
		expect(answer).toEqual({ status: 303, location: codePage(unknown) });
		expect(stack.sms.list(unknown)).toEqual([]);
		expect(await stack.sql(`select 1 from auth.users where phone = $1`, [unknown.slice(1)])).toEqual([]);
	});

	it('a new account whose code was not typed is not stuck: asking again sends a new code that confirms it', async () => {
		const browser = new Browser('10.21.0.5');
		const { e164 } = await signUpByPhone(browser, 'Hoa');
		await aMinuteLater(e164);
		const again = await app(
			browser,
			'verify',
			{ phone: e164 },
			{ action: 'resend', search: '?type=sms&new=1' }
		);
		expect(again.status).toBe(200);
		expect(stack.sms.list(e164)).toHaveLength(2);
		expect(await verify(browser, e164, newestCode(e164))).toEqual({ status: 303, location: '/' });
		// Within the minute, "send a new code" says to wait instead of pretending.
		const tooSoon = await app(browser, 'verify', { phone: e164 }, { action: 'resend', search: '?type=sms' });
		refused(tooSoon, 503, /wait/i);
	});
});

describe('bad input and failure: a clear message, nothing sent or made', () => {
	it('numbers: the wrong country, too short, too long, letters, a landline, a country not served', async () => {
		const browser = new Browser('10.21.1.1');
		const cases: [Record<string, string>, RegExp][] = [
			[{ country: '84', phone: '012 345 678' }, /too short for Vietnam \(\+84\)/],
			[{ country: '855', phone: '012 345 67' }, /too short for Cambodia \(\+855\)/],
			[{ country: '84', phone: '090 123 456 789' }, /too long/],
			[{ country: '84', phone: '090 CALL ME' }, /digits only/],
			[{ country: '84', phone: '024 3825 123' }, /landline/],
			[{ country: '84', phone: '+66 81 234 5678' }, /Vietnam \(\+84\), Cambodia \(\+855\)/],
			[{ country: '84', phone: '' }, /Type your phone number/],
			[{ country: '84', phone: '0'.repeat(500) }, /too long/]
		];
		for (const [fields, message] of cases) {
			const answer = await app(browser, 'signInPhone', fields);
			refused(answer, 400, message);
			const signUp = await app(browser, 'signUpPhone', { display_name: 'Dara', ...fields });
			expect(signUp.status).toBe(400);
		}
		expect(await stack.sql(`select 1 from auth.users where phone like '66%'`)).toEqual([]);
	});

	it('codes: wrong, another number’s, expired, not six digits: translated refusals; the right code still works', async () => {
		const browser = new Browser('10.21.1.2');
		const { e164: first } = await signUpByPhone(browser, 'Sokha');
		const { e164: second } = await signUpByPhone(new Browser('10.21.1.3'), 'Dara');
		const code = newestCode(first);
		const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
		const wrongOrExpired = /wrong or has expired/;
		refused(await verify(browser, first, wrong), 400, wrongOrExpired);
		expect(await verify(browser, first, newestCode(second))).toMatchObject({ status: 400 });
		refused(await verify(browser, first, '12345'), 400, /6 digits/);
		expect(await verify(browser, first, code)).toEqual({ status: 303, location: '/' });

		await stack.sql(
			`update auth.users set confirmation_sent_at = now() - interval '11 minutes' where phone = $1`,
			[second.slice(1)]
		);
		const expired = await verify(new Browser('10.21.1.3'), second, newestCode(second));
		refused(expired, 400, wrongOrExpired);
		const [row] = await stack.sql<{ confirmed: boolean }>(
			`select phone_confirmed_at is not null as confirmed from auth.users where phone = $1`,
			[second.slice(1)]
		);
		expect(row.confirmed).toBe(false);
	});
});

describe('SMS pumping: limits per number, per address and per block', () => {
	it('100 code requests for one number (from 100 addresses): 5 codes, then one per 15 minutes', async () => {
		const { e164 } = await signUpByPhone(new Browser(fresh()), 'Owner');
		await verify(new Browser(fresh()), e164, newestCode(e164));
		const statuses: number[] = [];
		for (let i = 0; i < 100; i++) {
			await aMinuteLater(e164); // so only the app's limits can hold a code back
			statuses.push((await app(new Browser(fresh()), 'signInPhone', { country: '84', phone: e164 })).status);
		}
		// The sign-up code took the first of the number's five.
		expect(statuses.slice(0, 4)).toEqual([303, 303, 303, 303]);
		expect(statuses[4]).toBe(303); // the owner's one code per 15 minutes
		expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
		expect(stack.sms.list(e164)).toHaveLength(6);
	});

	it('codes for many numbers from one address: 30, then that address waits; another address goes on', async () => {
		const attacker = new Browser(fresh());
		const statuses: number[] = [];
		for (let i = 0; i < 100; i++) {
			statuses.push((await app(attacker, 'signInPhone', { country: '84', phone: newNumber() })).status);
		}
		expect(statuses.slice(0, 30).every((s) => s === 303)).toBe(true);
		expect(statuses.slice(30).every((s) => s === 429)).toBe(true);
		const waits = await app(attacker, 'signInPhone', { country: '84', phone: newNumber() });
		refused(waits, 429, /try again in \d+ minutes?/i);
		expect(
			(await app(new Browser(fresh()), 'signInPhone', { country: '84', phone: newNumber() })).status
		).toBe(303);
	});

	it('codes for the numbers of one block (10,000 numbers), from as many addresses: 10, then the block waits', async () => {
		const block = `+8491${String(Date.now() % 1000).padStart(3, '0')}`; // "+8491xxx" + 4 digits
		const statuses: number[] = [];
		for (let i = 0; i < 30; i++) {
			const phone = `${block}${String(i).padStart(4, '0')}`;
			statuses.push((await app(new Browser(fresh()), 'signInPhone', { country: '84', phone })).status);
		}
		expect(statuses.slice(0, 10).every((s) => s === 303)).toBe(true);
		expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
		// The next block is not held up.
		const next = `+8492${block.slice(5)}0001`;
		expect((await app(new Browser(fresh()), 'signInPhone', { country: '84', phone: next })).status).toBe(303);
	});

	it('wrong codes: 5 per number and address, then 30 per block from anywhere', async () => {
		const guesser = new Browser(fresh());
		const target = newNumber();
		const answers: number[] = [];
		for (let i = 0; i < 6; i++)
			answers.push((await verify(guesser, target, String(i).padStart(6, '0'))).status);
		expect(answers).toEqual([400, 400, 400, 400, 400, 429]);

		const block = `+8493${String(Date.now() % 1000).padStart(3, '0')}`;
		for (let i = 0; i < 30; i++) {
			const answer = await verify(new Browser(fresh()), `${block}${String(i).padStart(4, '0')}`, '000000');
			expect(answer.status).toBe(400);
		}
		const paused = await verify(new Browser(fresh()), `${block}9999`, '000000');
		refused(paused, 429, /try again in/i);
	});

	it('the counters are keyed: calling the functions with plain numbers touches nobody’s counter', async () => {
		const e164 = newNumber();
		const stranger = anonClient(stack);
		for (let i = 0; i < 12; i++) {
			await stranger.rpc('auth_throttle_sms_take', {
				p_number: e164,
				p_block: e164.slice(0, -4),
				p_address: '127.0.0.1'
			});
		}
		expect((await app(new Browser(fresh()), 'signInPhone', { country: '84', phone: e164 })).status).toBe(303);
	});
});

describe('invites, two ways in, and RLS', () => {
	it('an invite goes through phone sign-up to the space; a code typed on another phone ends on its join page', async () => {
		const facilitator = await signedInUser(stack, 'Linh');
		const spaceId = await createSpace(facilitator);
		const { code } = await createInvite(facilitator, spaceId);
		// Same phone: the invite rides on the code page's address.
		const phoneA = new Browser(fresh());
		const { e164, answer } = await signUpByPhone(phoneA, 'Lan', newNumber(), `?invite=${code}`);
		expect(answer.location).toBe(codePage(e164, `&new=1&invite=${code}`));
		const joined = await verify(phoneA, e164, newestCode(e164), `?type=sms&new=1&invite=${code}`);
		expect(joined).toEqual({ status: 303, location: `/spaces/${spaceId}?welcome=1` });

		// Another phone: sign-up begun with the invite on one, the code typed on the other (no invite there):
		// the invitation's join page, which shows the space and asks (the number's owner may not be who typed it).
		const { e164: other } = await signUpByPhone(new Browser(fresh()), 'Mai', newNumber(), `?invite=${code}`);
		const phoneB = new Browser(fresh());
		expect(await verify(phoneB, other, newestCode(other))).toEqual({
			status: 303,
			location: `/join?code=${code}`
		});
		const isMember = async (phone: string) =>
			(
				await stack.sql(
					`select 1 from public.space_members m join auth.users u on u.id = m.user_id
					  where m.space_id = $1 and u.phone = $2`,
					[spaceId, phone.slice(1)]
				)
			).length === 1;
		expect(await isMember(e164)).toBe(true);
		expect(await isMember(other)).toBe(false);
		// Shown once: the saved invite is gone, the next sign-in lands home.
		const [saved] = await stack.sql<{ invite: string | null }>(
			`select raw_user_meta_data ->> 'invite' as invite from auth.users where phone = $1`,
			[other.slice(1)]
		);
		expect(saved.invite).toBeNull();
		await aMinuteLater(other);
		await app(phoneB, 'signInPhone', { country: '84', phone: other });
		expect(await verify(new Browser(fresh()), other, newestCode(other))).toEqual({
			status: 303,
			location: '/'
		});
	});

	it('an email account adds its phone: either signs in to the same account; the same name by phone and by email is two accounts', async () => {
		// An email account, made and signed in through the app, adds its number on the profile page.
		const email = `dara${Date.now()}@example.org`;
		const browser = new Browser(fresh());
		await app(browser, 'signUp', { display_name: 'Chan Dara', email, password: 'correct horse battery' });
		await app(
			browser,
			'verify',
			{ email, code: stack.mailbox.list(email)[0].code! },
			{ action: 'verify', search: '?type=signup' }
		);
		expect(browser.signedIn).toBe(true);
		const e164 = newNumber();
		const asked = await app(browser, 'profilePhone', { country: '855', phone: written(e164) });
		// Cambodia chosen, a 9-digit number written with its 0.
		expect(asked.status).toBe(303);
		const added = `+855${e164.slice(3)}`;
		expect(asked.location).toBe(`/verify?type=phone_change&phone=${encodeURIComponent(added)}`);
		const wrongCode = await app(
			browser,
			'verify',
			{ phone: added, code: '000000' },
			{ action: 'verify', search: '?type=phone_change' }
		);
		expect(wrongCode.status).toBe(400);
		const confirmed = await app(
			browser,
			'verify',
			{ phone: added, code: newestCode(added) },
			{ action: 'verify', search: '?type=phone_change' }
		);
		expect(confirmed).toEqual({ status: 303, location: '/profile?notice=phone-added' });
		// Either now signs in, to the same account.
		await aMinuteLater(added); // (its email sign-up code went out under a minute ago: one gap for both)
		const byPhone = new Browser(fresh());
		await app(byPhone, 'signInPhone', { country: '855', phone: added });
		expect(await verify(byPhone, added, newestCode(added))).toEqual({ status: 303, location: '/' });
		const [row] = await stack.sql<{ email: string }>(`select email from auth.users where phone = $1`, [
			added.slice(1)
		]);
		expect(row.email).toBe(email);
		const byEmail = new Browser(fresh());
		expect(await app(byEmail, 'signIn', { email, password: 'correct horse battery' })).toEqual({
			status: 303,
			location: '/'
		});
		// Another account cannot take the number.
		const other = await signedInUser(stack, 'Other');
		expect((await other.client.auth.updateUser({ phone: added })).error?.code).toBe('phone_exists');

		// Sign-up by phone, later by email, the same name: two accounts, each signs in, neither blocks the other.
		const { e164: phoneOnly } = await signUpByPhone(new Browser(fresh()), 'Sok Sokha');
		expect(await verify(new Browser(fresh()), phoneOnly, newestCode(phoneOnly))).toMatchObject({
			status: 303
		});
		const sokha = `sokha${Date.now()}@example.org`;
		const second = new Browser(fresh());
		await app(second, 'signUp', {
			display_name: 'Sok Sokha',
			email: sokha,
			password: 'correct horse battery'
		});
		const code = stack.mailbox.list(sokha)[0].code!;
		expect(
			await app(second, 'verify', { email: sokha, code }, { action: 'verify', search: '?type=signup' })
		).toEqual({
			status: 303,
			location: '/'
		});
		const accounts = await stack.sql(
			`select u.id from auth.users u join public.profiles p on p.id = u.id where p.display_name = 'Sok Sokha'`
		);
		expect(accounts).toHaveLength(2);
	});

	it('RLS is unchanged for phone accounts: an outsider sees nothing, a member what members see', async () => {
		const facilitator = await signedInUser(stack, 'Linh');
		const spaceId = await createSpace(facilitator);
		const e164 = newNumber();
		const client = anonClient(stack);
		await client.auth.signInWithOtp({ phone: e164, options: { data: { display_name: 'Bình' } } });
		const { data } = await client.auth.verifyOtp({ phone: e164, token: newestCode(e164), type: 'sms' });
		expect(data.user?.phone).toBe(e164.slice(1));
		expect((await client.from('spaces').select('id').eq('id', spaceId)).data).toEqual([]);
		expect((await client.from('space_members').select('user_id').eq('space_id', spaceId)).data).toEqual([]);
		const joinAttempt = await client
			.from('space_members')
			.insert({ space_id: spaceId, user_id: data.user!.id } as never);
		expect(joinAttempt.error).not.toBeNull();
		const { code } = await createInvite(facilitator, spaceId);
		expect((await client.rpc('redeem_invite', { p_code: code })).data).toBe(spaceId);
		expect((await client.from('spaces').select('id').eq('id', spaceId)).data).toEqual([{ id: spaceId }]);
		// Still nobody else's private details.
		const privateRows = await client.from('profile_private').select('id');
		expect(privateRows.data).toEqual([{ id: data.user!.id }]);
	});
});
