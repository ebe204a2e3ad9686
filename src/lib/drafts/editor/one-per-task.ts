// Building a section's editor (ProseMirror bound to its Y.XmlFragment) costs a
// slow phone tens of milliseconds. A 50-page draft has twenty sections, and built
// in one go they held the main thread for over a second (issue 24): nothing could
// be typed or tapped until the last was done. Here they are built one per task,
// in the order they were asked for (the page's order), so the first section can
// be typed in at once and a tap between two builds is answered.

type Job = { run: () => void; done: boolean };
const waiting: Job[] = [];
let scheduled = false;

function runNext() {
	scheduled = false;
	let job = waiting.shift();
	while (job?.done) job = waiting.shift();
	if (!job) return;
	job.done = true;
	job.run();
	if (waiting.length) schedule();
}

function schedule() {
	if (scheduled) return;
	scheduled = true;
	// A task of its own (not a microtask): the browser handles input and paints between two.
	setTimeout(runNext, 0);
}

/**
 * Runs `build` in a task of its own, after the builds asked for before it.
 * Returns `now`, which runs it at once if it has not run (a person reaching for
 * that section), and `cancel`, for a section that goes away first.
 */
export function buildOnePerTask(build: () => void): { now: () => void; cancel: () => void } {
	const job: Job = { run: build, done: false };
	waiting.push(job);
	schedule();
	return {
		now: () => {
			if (job.done) return;
			job.done = true;
			build();
		},
		cancel: () => {
			job.done = true;
		}
	};
}
