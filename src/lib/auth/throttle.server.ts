// Throttling sign-in, emailed codes and sign-ups, per client address and per
// account. Every sign-in goes through a form action here, so Supabase Auth sees
// one address (this server's) for everybody: its own per-address limits would
// be one bucket for the whole network. These counters are per person instead,
// so one attacker is slowed without slowing anyone else. (Hosted Supabase
// forwards a client address only for requests made with a secret key, which
// never serves a person's request here.)
//
// The counters and their rules live in the database (migration
// 20261205000200_auth_throttle.sql), so every app server sees the same counts;
// actions ask before calling Supabase Auth and count what the rules count:
// wrong passwords, wrong codes, emails sent, sign-ups. Per-address counters
// refuse ("try again in N minutes"); per-account counters, which an attacker
// elsewhere can trip, never refuse the owner's correct credentials: they ask
// for an emailed code as well (`stepUp`), for a new code (`newCode`), or let
// one email in 5 minutes through.
import type { RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { accountSubject, addressSubject, blockSubject, phoneSubject } from './throttle-key.server';
import { numberBlock } from './phone';

type Event = Pick<RequestEvent, 'getClientAddress' | 'locals'>;

/** The client's address as the Node server sees it (ADDRESS_HEADER behind a proxy; see README), keyed. */
const addressOf = (event: Event) => addressSubject(event.getClientAddress());

const MINUTE = 60_000;
/** Whole minutes to say in "try again in N minutes" (at least 1). */
const minutesToWait = (ms: number) => Math.max(1, Math.ceil(ms / MINUTE));

const waitMessage = (ms: number) => (ms > 0 ? m.error_try_again_in({ minutes: minutesToWait(ms) }) : null);

export interface StepGate {
	/** "Try again in N minutes" when a per-address counter is paused (or the check failed); else null. */
	paused: string | null;
	/** The account's wrong passwords are paused: a correct password must be finished with an emailed code. */
	stepUp: boolean;
	/** The account's wrong codes are paused: only a code sent since then works (ask for a new one). */
	newCode: boolean;
}

/** Before trying a password, a code, or (without taking it) sending an email. */
export async function checkStep(event: Event, step: 'password' | 'code' | 'email', email: string) {
	const { data, error } = await event.locals.supabase.rpc('auth_throttle_check', {
		p_step: step,
		p_email: accountSubject(email),
		p_address: addressOf(event)
	});
	// Without the counters nobody is let through unthrottled (and Auth is likely unreachable too).
	if (error || !data) return { paused: m.error_network(), stepUp: false, newCode: false } satisfies StepGate;
	const gate = data as { wait_ms: number; step_up: boolean; new_code: boolean };
	return {
		paused: waitMessage(gate.wait_ms),
		stepUp: gate.step_up,
		newCode: gate.new_code
	} satisfies StepGate;
}

/** Takes a slot to send an email to the account (atomic); the message to show when there is none. */
export async function takeEmail(event: Event, email: string): Promise<string | null> {
	const { data, error } = await event.locals.supabase.rpc('auth_throttle_take', {
		p_step: 'email',
		p_email: accountSubject(email),
		p_address: addressOf(event)
	});
	return error ? m.error_network() : waitMessage(data ?? 0);
}

/** Takes a slot to create an account from this address; the message to show when there is none. */
export async function takeSignUp(event: Event): Promise<string | null> {
	const { data, error } = await event.locals.supabase.rpc('auth_throttle_take', {
		p_step: 'sign_up',
		p_email: '',
		p_address: addressOf(event)
	});
	return error ? m.error_network() : waitMessage(data ?? 0);
}

/** Counts a wrong password or a wrong code. */
export async function countFailure(event: Event, step: 'password' | 'code', email: string) {
	const { error } = await event.locals.supabase.rpc('auth_throttle_failed', {
		p_step: step,
		p_email: accountSubject(email),
		p_address: addressOf(event)
	});
	if (error) console.error(`sign-in throttle: a ${step} failure was not counted: ${error.message}`);
}

/**
 * Right after a sign-in (the client now holds the session): forgives the
 * account's failures from this address only, not the address's own (one good
 * password does not excuse a spray) nor the account's from elsewhere.
 */
export async function countSignedIn(event: Event, email: string) {
	const { error } = await event.locals.supabase.rpc('auth_throttle_signed_in', {
		p_email: accountSubject(email),
		p_address: addressOf(event)
	});
	if (error) console.error(`sign-in throttle: not forgiven after sign-in: ${error.message}`);
}

// ---- Phone numbers (SMS codes) ---------------------------------------------
// The same counters per number as per email account, plus the block of 10,000
// numbers the number belongs to (SMS pumping walks through ranges of numbers):
// migration 20261205001000_phone_sign_in.sql.

const smsSubjects = (event: Event, e164: string) => ({
	p_number: phoneSubject(e164),
	p_block: blockSubject(numberBlock(e164)),
	p_address: addressOf(event)
});

/** Takes a slot to send a code by SMS to the number (atomic); the message to show when there is none. */
export async function takeSms(event: Event, e164: string): Promise<string | null> {
	const { data, error } = await event.locals.supabase.rpc('auth_throttle_sms_take', smsSubjects(event, e164));
	return error ? m.error_network() : waitMessage(data ?? 0);
}

/** Before trying an SMS code: paused per number and address, per address or per block; or a new code needed. */
export async function checkSmsCode(event: Event, e164: string) {
	const { data, error } = await event.locals.supabase.rpc(
		'auth_throttle_sms_check',
		smsSubjects(event, e164)
	);
	if (error || !data) return { paused: m.error_network(), stepUp: false, newCode: false } satisfies StepGate;
	const gate = data as { wait_ms: number; new_code: boolean };
	return { paused: waitMessage(gate.wait_ms), stepUp: false, newCode: gate.new_code } satisfies StepGate;
}

/** Counts a wrong SMS code (per number and address, number, address, block). */
export async function countSmsFailure(event: Event, e164: string) {
	const { error } = await event.locals.supabase.rpc('auth_throttle_sms_failed', smsSubjects(event, e164));
	if (error) console.error(`sign-in throttle: a wrong SMS code was not counted: ${error.message}`);
}

/** Right after a phone sign-in: forgives the number's failures from this address (as countSignedIn). */
export async function countPhoneSignedIn(event: Event, e164: string) {
	const { error } = await event.locals.supabase.rpc('auth_throttle_signed_in', {
		p_email: phoneSubject(e164),
		p_address: addressOf(event)
	});
	if (error) console.error(`sign-in throttle: not forgiven after sign-in: ${error.message}`);
}
