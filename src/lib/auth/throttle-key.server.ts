// The sign-in throttle's counters are named by keyed hashes of an email or a
// client address (HMAC-SHA256), never by the values themselves: the counting
// functions can be called by anyone with the publishable key (sign-in runs
// before a session exists), and without this key nobody can aim a count at a
// given account or at a club's shared Wi-Fi address to lock it out.
//
// The key: AUTH_THROTTLE_KEY, or one derived from SUPABASE_SECRET_KEY (never
// sent anywhere; only its hash is used). Every app server of a deployment
// must have the same one, or each counts alone. With neither set, a random
// key per process: still safe, but the limits are per server.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { env } from '$env/dynamic/private';

let key: Buffer | undefined;

function throttleKey(): Buffer {
	if (key) return key;
	const configured = env.AUTH_THROTTLE_KEY || env.SUPABASE_SECRET_KEY;
	if (configured) key = createHash('sha256').update(`sahakum sign-in throttle\n${configured}`).digest();
	else {
		key = randomBytes(32);
		console.warn(
			'[auth] AUTH_THROTTLE_KEY not set: sign-in limits are counted per app server (README, "Limits")'
		);
	}
	return key;
}

/** The counter name of an account (its email, trimmed and in lower case). */
export const accountSubject = (email: string) =>
	createHmac('sha256', throttleKey()).update(`account\n${email.trim().toLowerCase()}`).digest('hex');

/** The counter name of a client address. */
export const addressSubject = (address: string) =>
	createHmac('sha256', throttleKey()).update(`address\n${address}`).digest('hex');

/** The counter name of a phone number (E.164); never equal to an account's (emails have an @). */
export const phoneSubject = (e164: string) =>
	createHmac('sha256', throttleKey()).update(`phone\n${e164}`).digest('hex');

/** The counter name of a block of phone numbers (src/lib/auth/phone.ts, numberBlock). */
export const blockSubject = (block: string) =>
	createHmac('sha256', throttleKey()).update(`block\n${block}`).digest('hex');
