// One process per data directory: two PGlite instances on the same files
// corrupt them, so a second start must refuse instead of opening the files.
//
// The lock is `<dir>.pid` holding the holder's pid. Every change to it is one
// atomic filesystem step, so two starters can never both think they hold it:
// - create: the pid is written to a private temp file, then link()ed to the lock
//   name; link fails with EEXIST if the name exists (atomic, and the file is never
//   seen half written);
// - stale takeover (the holder's pid is dead): the right to replace holder H is
//   the file `<lock>.takeover-H`, created by the same link() step, so only one
//   starter gets it; under it the lock is read again and, only if it still says H,
//   a fresh pid file is rename()d over it. A starter that loses re-reads the lock
//   and finds the winner alive. If a winner died holding `takeover-H`, that file is
//   itself a stale lock and is taken over the same way (`takeover-H.takeover-W`).
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';

export class DataDirInUseError extends Error {
	constructor(
		readonly dir: string,
		readonly pid: number
	) {
		super(
			`The database directory ${dir} is in use by another local stack (pid ${pid}). ` +
				`Stop that process first (Ctrl+C in its terminal, or kill ${pid}).`
		);
	}
}

/** How long a start waits while other starters are in the middle of a takeover. */
const BUSY_WAIT_MS = 5_000;

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

const me = String(process.pid);

/** A complete file holding our pid, under a name nobody else uses. */
function pidFile(target: string): string {
	const temp = `${target}.${me}.${randomBytes(6).toString('hex')}.tmp`;
	writeFileSync(temp, me, { flag: 'wx' });
	return temp;
}

/** Creates `target` holding our pid, atomically; false if it exists. */
function create(target: string): boolean {
	const temp = pidFile(target);
	try {
		linkSync(temp, target);
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw error;
	} finally {
		rmSync(temp, { force: true });
	}
}

function read(file: string): string | null {
	try {
		return readFileSync(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw error;
	}
}

const pidOf = (content: string) => (/^\d+$/.test(content.trim()) ? Number(content.trim()) : 0);

type Attempt = { taken: true } | { taken: false; livePid: number | null };

/**
 * One try at holding `file`: created, taken over from a dead holder, or not
 * (a live holder's pid, or null when another starter is replacing it right now).
 */
function attempt(file: string): Attempt {
	for (let tries = 0; tries < 100; tries++) {
		if (create(file)) return { taken: true };
		const holder = read(file);
		if (holder === null) continue; // released between our two steps: create again
		const pid = pidOf(holder);
		if (pid && isAlive(pid)) return { taken: false, livePid: pid };
		// Stale. Whoever holds the takeover file for this holder may replace it.
		const takeover = `${file}.takeover-${pid}`;
		const right = attempt(takeover);
		if (!right.taken) return { taken: false, livePid: null };
		try {
			if (read(file) !== holder) continue; // replaced or released meanwhile: look again
			const temp = pidFile(file);
			renameSync(temp, file);
			return { taken: true };
		} finally {
			rmSync(takeover, { force: true });
		}
	}
	return { taken: false, livePid: null };
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Takes `<dir>.pid` atomically or throws DataDirInUseError. Returns the release function. */
export function lockDataDir(dir: string): () => void {
	const file = `${dir}.pid`;
	mkdirSync(dirname(file), { recursive: true });
	const deadline = Date.now() + BUSY_WAIT_MS;
	for (;;) {
		const result = attempt(file);
		if (result.taken) {
			return () => {
				// Only our own lock: never remove one that is not ours.
				if (read(file) === me) rmSync(file, { force: true });
			};
		}
		if (result.livePid !== null) throw new DataDirInUseError(dir, result.livePid);
		if (Date.now() > deadline) throw new Error(`Could not lock ${dir}: another start kept taking it over`);
		Atomics.wait(pause, 0, 0, 5 + Math.random() * 10); // someone else is mid-takeover
	}
}
