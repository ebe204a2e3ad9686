// Which counters each sign-in step uses (see $lib/server/throttle), and the
// message for a paused one. Actions check before asking Supabase Auth, and
// count what the rules count: wrong passwords, wrong codes, emails sent, sign-ups.
import type { RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { minutesToWait, throttle, type ThrottleKey } from '$lib/server/throttle';

/** The client's address as the Node server sees it (ADDRESS_HEADER behind a proxy; see README). */
const addressOf = (event: Pick<RequestEvent, 'getClientAddress'>) => event.getClientAddress();

export const throttleKeys = {
	// The first key is the account from this address: a success forgives it.
	password: (event: RequestEvent, email: string): ThrottleKey[] => [
		['passwordPerAccountAddress', `${email} ${addressOf(event)}`],
		['passwordPerAccount', email],
		['passwordPerAddress', addressOf(event)]
	],
	code: (event: RequestEvent, email: string): ThrottleKey[] => [
		['codePerAccountAddress', `${email} ${addressOf(event)}`],
		['codePerAccount', email],
		['codePerAddress', addressOf(event)]
	],
	email: (event: RequestEvent, email: string): ThrottleKey[] => [
		['emailPerAccount', email],
		['emailPerAddress', addressOf(event)]
	],
	signUp: (event: RequestEvent): ThrottleKey[] => [['signUpPerAddress', addressOf(event)]]
};

/** "Try again in N minutes" when any of the keys is paused; null when the step may go ahead. */
export function pausedMessage(keys: ThrottleKey[]): string | null {
	const wait = throttle.waitFor(keys);
	return wait ? m.error_try_again_in({ minutes: minutesToWait(wait) }) : null;
}

export { throttle };
