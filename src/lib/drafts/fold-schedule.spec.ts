import { describe, expect, it } from 'vitest';
import { FoldSchedule, MAX_UPDATES, MIN_UPDATES } from './fold-schedule';

/** How many updates of `bytes` each are stored before the schedule says fold. */
function updatesUntilDue(schedule: FoldSchedule, draftId: string, bytes: number) {
	for (let n = 1; n <= MAX_UPDATES + 1; n++) if (schedule.stored(draftId, bytes)) return n;
	return Infinity;
}

describe('FoldSchedule', () => {
	it('folds a draft it has not folded yet after MIN_UPDATES updates, as before', () => {
		expect(updatesUntilDue(new FoldSchedule(), 'a', 25)).toBe(MIN_UPDATES);
	});

	it('waits for the log to reach a share of a large snapshot, and never past MAX_UPDATES', () => {
		const schedule = new FoldSchedule(0.25);
		schedule.folding('a');
		schedule.folded('a', 40_000); // a quarter is 10,000 bytes: 400 updates of 25 bytes
		expect(updatesUntilDue(schedule, 'a', 25)).toBe(400);
		schedule.folding('a');
		schedule.folded('a', 340_000); // a quarter is 85,000 bytes: more than MAX_UPDATES of 25 bytes
		expect(updatesUntilDue(schedule, 'a', 25)).toBe(MAX_UPDATES);
	});

	it('with share 0 folds every MIN_UPDATES whatever the snapshot (the earlier rule)', () => {
		const schedule = new FoldSchedule(0);
		schedule.folded('a', 340_000);
		expect(updatesUntilDue(schedule, 'a', 25)).toBe(MIN_UPDATES);
	});

	it('keeps drafts apart, says which wait for a fold, and starts again after a rebase', () => {
		const schedule = new FoldSchedule(0.25);
		schedule.folded('a', 340_000);
		schedule.stored('b', 25);
		expect(schedule.waiting('b')).toBe(true);
		expect(schedule.waiting('a')).toBe(false);
		schedule.folding('b');
		expect(schedule.waiting('b')).toBe(false);
		schedule.forget('a');
		expect(updatesUntilDue(schedule, 'a', 25)).toBe(MIN_UPDATES);
	});
});
