// A queue for heavy work on the server (the server's PDF export starts a
// Chromium), fair between people: at most `concurrency` jobs run at once for
// the whole server, each person has at most one job running or waiting, and
// at most `maxWaiting` wait. One person's flood is refused at their second
// request and never crowds anyone else out (issue 20: six parallel exports by
// one member made everyone else's fail).

export type QueueRefusal = 'yours' | 'full';

export interface FairQueue {
	/** `job` run in its turn, or why not: this person already has one ('yours'), or too many wait ('full'). */
	run<T>(person: string, job: () => Promise<T>): Promise<{ value: T } | { refused: QueueRefusal }>;
	/** Jobs running and waiting now. */
	readonly size: { running: number; waiting: number };
}

export function fairQueue({
	concurrency,
	maxWaiting
}: {
	concurrency: number;
	maxWaiting: number;
}): FairQueue {
	const people = new Set<string>();
	const waiting: (() => void)[] = [];
	let running = 0;

	return {
		async run<T>(person: string, job: () => Promise<T>) {
			if (people.has(person)) return { refused: 'yours' as const };
			if (running >= concurrency && waiting.length >= maxWaiting) return { refused: 'full' as const };
			people.add(person);
			if (running < concurrency) running++;
			// A finished job hands its place straight to the next in line (no one slips in between).
			else await new Promise<void>((turn) => waiting.push(turn));
			try {
				return { value: await job() };
			} finally {
				people.delete(person);
				const turn = waiting.shift();
				if (turn) turn();
				else running--;
			}
		},
		get size() {
			return { running, waiting: waiting.length };
		}
	};
}
