import { describe, expect, it } from 'vitest';
import { fairQueue } from './fair-queue';

/** A job that runs until `finish()` is called, and says when it started. */
function gate() {
	let finish!: () => void;
	const done = new Promise<void>((resolve) => (finish = resolve));
	const state = { started: false };
	return {
		state,
		finish: () => finish(),
		job: async () => {
			state.started = true;
			await done;
			return 'pdf';
		}
	};
}

describe('fairQueue', () => {
	it('one job per person; others wait their turn, never more than `concurrency` at once', async () => {
		const queue = fairQueue({ concurrency: 1, maxWaiting: 3 });
		const a = gate();
		const first = queue.run('a', a.job);
		// The same person again, five times: refused at once, nobody else affected.
		for (let i = 0; i < 5; i++) expect(await queue.run('a', gate().job)).toEqual({ refused: 'yours' });
		const b = gate();
		const second = queue.run('b', b.job);
		await Promise.resolve();
		expect(b.state.started).toBe(false);
		expect(queue.size).toEqual({ running: 1, waiting: 1 });
		a.finish();
		expect(await first).toEqual({ value: 'pdf' });
		await new Promise((r) => setTimeout(r, 0));
		expect(b.state.started).toBe(true);
		// Someone arriving while b runs waits, even at the moment a's place passed to b.
		const c = gate();
		const third = queue.run('c', c.job);
		await new Promise((r) => setTimeout(r, 0));
		expect(c.state.started).toBe(false);
		expect(queue.size).toEqual({ running: 1, waiting: 1 });
		b.finish();
		c.finish();
		expect(await second).toEqual({ value: 'pdf' });
		expect(await third).toEqual({ value: 'pdf' });
		expect(queue.size).toEqual({ running: 0, waiting: 0 });
		// Done: a may export again.
		expect(await queue.run('a', () => Promise.resolve('again'))).toEqual({ value: 'again' });
	});

	it('refuses when too many people wait, and frees a person’s place when their job fails', async () => {
		const queue = fairQueue({ concurrency: 1, maxWaiting: 1 });
		const a = gate();
		const first = queue.run('a', a.job);
		const second = queue.run('b', () => Promise.resolve('b'));
		expect(await queue.run('c', () => Promise.resolve('c'))).toEqual({ refused: 'full' });
		a.finish();
		await first;
		expect(await second).toEqual({ value: 'b' });
		await expect(queue.run('d', () => Promise.reject(new Error('chromium died')))).rejects.toThrow();
		expect(await queue.run('d', () => Promise.resolve('d'))).toEqual({ value: 'd' });
	});
});
