import { describe, expect, it } from 'vitest';
import { RULES, Throttle, minutesToWait, type ThrottleKey } from './throttle';

const clock = () => {
	let now = 1_000_000;
	return { now: () => now, advance: (ms: number) => (now += ms) };
};

describe('Throttle', () => {
	it('pauses a key after its limit, for longer after each further round', () => {
		const time = clock();
		const throttle = new Throttle(time.now);
		const key: ThrottleKey[] = [['passwordPerAccountAddress', 'mai@example.org']];
		const { limit, pauseMs } = RULES.passwordPerAccountAddress;
		for (let i = 0; i < limit - 1; i++) throttle.record(key);
		expect(throttle.waitFor(key)).toBe(0);
		throttle.record(key);
		expect(throttle.waitFor(key)).toBe(pauseMs);
		time.advance(pauseMs);
		expect(throttle.waitFor(key)).toBe(0);
		for (let i = 0; i < limit; i++) throttle.record(key);
		expect(throttle.waitFor(key)).toBe(2 * pauseMs);
	});

	it('keeps subjects apart: one address paused, another not', () => {
		const throttle = new Throttle(clock().now);
		for (let i = 0; i < RULES.codePerAddress.limit; i++) throttle.record([['codePerAddress', '10.0.0.1']]);
		expect(throttle.waitFor([['codePerAddress', '10.0.0.1']])).toBeGreaterThan(0);
		expect(throttle.waitFor([['codePerAddress', '10.0.0.2']])).toBe(0);
	});

	it('forgives an account on success and caps the pause', () => {
		const time = clock();
		const throttle = new Throttle(time.now);
		const key: ['passwordPerAccountAddress', string] = ['passwordPerAccountAddress', 'a'];
		for (let round = 0; round < 12; round++) {
			for (let i = 0; i < RULES.passwordPerAccountAddress.limit; i++) throttle.record([key]);
			expect(throttle.waitFor([key])).toBeLessThanOrEqual(RULES.passwordPerAccountAddress.maxPauseMs);
			time.advance(throttle.waitFor([key]));
		}
		throttle.forgive([key]);
		expect(throttle.waitFor([key])).toBe(0);
		expect(minutesToWait(61_000)).toBe(2);
		expect(minutesToWait(1)).toBe(1);
	});
});
