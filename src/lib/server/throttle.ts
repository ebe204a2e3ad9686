// Throttling sign-in, emailed codes and sign-ups, per client address and per
// account, in the app server. Every sign-in goes through a form action here,
// so Supabase Auth sees one address (this server's) for everybody: its own
// per-address limits would be one bucket for the whole network. These
// counters are per person instead, so one attacker is slowed without slowing
// anyone else. (Hosted Supabase forwards a client address only for requests
// made with a secret key, which never serves a person's request here.)
//
// Counters live in this process's memory: they survive across requests, not
// across a restart. Behind several app servers each counts alone; route a
// client to one server (sticky sessions) or the limits multiply by the number
// of servers (README, "Limits").

/** How many events a key may have in a window, and how long it then waits. */
export interface ThrottleRule {
	/** Events allowed per window before a pause. */
	limit: number;
	windowMs: number;
	/** The first pause; each further pause (without a quiet spell) doubles, up to maxPauseMs. */
	pauseMs: number;
	maxPauseMs: number;
}

const MINUTE = 60_000;

/**
 * The rules, by what is being attempted. Three counters guard a guess: one
 * account from one address (tight: stops one attacker quickly and locks out
 * nobody else), one account from anywhere (looser: a botnet cannot guess a
 * 6-digit code or a password), and one address for any account (loose,
 * because a whole club signs in over one workshop Wi-Fi and mobile networks
 * put many phones behind one address).
 */
export const RULES = {
	/** Wrong passwords. */
	passwordPerAccountAddress: { limit: 5, windowMs: 15 * MINUTE, pauseMs: MINUTE, maxPauseMs: 30 * MINUTE },
	passwordPerAccount: { limit: 30, windowMs: 60 * MINUTE, pauseMs: 15 * MINUTE, maxPauseMs: 60 * MINUTE },
	passwordPerAddress: { limit: 60, windowMs: 15 * MINUTE, pauseMs: 5 * MINUTE, maxPauseMs: 60 * MINUTE },
	/** Wrong 6-digit codes (a code lives an hour: at most ~20 guesses in that hour, 1 in 50,000). */
	codePerAccountAddress: { limit: 5, windowMs: 60 * MINUTE, pauseMs: 15 * MINUTE, maxPauseMs: 60 * MINUTE },
	codePerAccount: { limit: 20, windowMs: 60 * MINUTE, pauseMs: 60 * MINUTE, maxPauseMs: 60 * MINUTE },
	codePerAddress: { limit: 60, windowMs: 15 * MINUTE, pauseMs: 15 * MINUTE, maxPauseMs: 60 * MINUTE },
	/** Emails sent (sign-in codes, new confirmation codes, password resets). */
	emailPerAccount: { limit: 5, windowMs: 15 * MINUTE, pauseMs: 15 * MINUTE, maxPauseMs: 60 * MINUTE },
	emailPerAddress: { limit: 30, windowMs: 15 * MINUTE, pauseMs: 15 * MINUTE, maxPauseMs: 60 * MINUTE },
	/** New accounts from one address (a workshop signs up together). */
	signUpPerAddress: { limit: 40, windowMs: 60 * MINUTE, pauseMs: 60 * MINUTE, maxPauseMs: 6 * 60 * MINUTE }
} satisfies Record<string, ThrottleRule>;

export type RuleName = keyof typeof RULES;

interface Counter {
	events: number;
	windowStart: number;
	pausedUntil: number;
	pauses: number;
	lastEvent: number;
}

/** A key to count: which rule, and whose (an address or an account). */
export type ThrottleKey = [rule: RuleName, subject: string];

export class Throttle {
	#counters = new Map<string, Counter>();
	#now: () => number;

	constructor(now: () => number = Date.now) {
		this.#now = now;
	}

	/** Milliseconds to wait before any of these keys may act again; 0 when none is paused. */
	waitFor(keys: ThrottleKey[]): number {
		const now = this.#now();
		let wait = 0;
		for (const [rule, subject] of keys) {
			const counter = this.#counters.get(`${rule}:${subject}`);
			if (counter && counter.pausedUntil > now) wait = Math.max(wait, counter.pausedUntil - now);
		}
		return wait;
	}

	/** Counts one event (a failure, or an email sent) for each key. */
	record(keys: ThrottleKey[]): void {
		const now = this.#now();
		for (const [rule, subject] of keys) {
			const { limit, windowMs, pauseMs, maxPauseMs } = RULES[rule];
			const id = `${rule}:${subject}`;
			const counter = this.#counters.get(id) ?? {
				events: 0,
				windowStart: now,
				pausedUntil: 0,
				pauses: 0,
				lastEvent: now
			};
			// A quiet spell as long as the longest pause forgives earlier pauses.
			if (now - counter.lastEvent > maxPauseMs) counter.pauses = 0;
			if (now - counter.windowStart > windowMs) {
				counter.events = 0;
				counter.windowStart = now;
			}
			counter.events += 1;
			counter.lastEvent = now;
			if (counter.events >= limit) {
				counter.pausedUntil = now + Math.min(pauseMs * 2 ** counter.pauses, maxPauseMs);
				counter.pauses += 1;
				counter.events = 0;
				counter.windowStart = now;
			}
			this.#counters.set(id, counter);
		}
		this.#sweep(now);
	}

	/** A success clears the account's failures (not the address's: one good password does not excuse a spray). */
	forgive(keys: ThrottleKey[]): void {
		for (const [rule, subject] of keys) this.#counters.delete(`${rule}:${subject}`);
	}

	#lastSweep = 0;
	/** Forget counters idle for longer than any window or pause, at most once a minute. */
	#sweep(now: number) {
		if (now - this.#lastSweep < MINUTE) return;
		this.#lastSweep = now;
		const idle =
			Math.max(...Object.values(RULES).map((rule) => Math.max(rule.windowMs, rule.maxPauseMs))) * 2;
		for (const [id, counter] of this.#counters) {
			if (now - counter.lastEvent > idle && counter.pausedUntil < now) this.#counters.delete(id);
		}
	}
}

/** The server's one throttle. */
export const throttle = new Throttle();

/** Whole minutes to say in "try again in N minutes" (at least 1). */
export const minutesToWait = (ms: number) => Math.max(1, Math.ceil(ms / MINUTE));
