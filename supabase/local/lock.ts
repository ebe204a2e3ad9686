// One process per data directory: two PGlite instances on the same files
// corrupt them, so a second start must refuse instead of opening the files.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Takes `<dir>.pid` atomically or throws DataDirInUseError. Returns the release function. */
export function lockDataDir(dir: string): () => void {
	const file = `${dir}.pid`;
	mkdirSync(dirname(file), { recursive: true });
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			writeFileSync(file, String(process.pid), { flag: 'wx' });
			return () => rmSync(file, { force: true });
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const pid = Number(readFileSync(file, 'utf8').trim());
			if (pid && isAlive(pid)) throw new DataDirInUseError(dir, pid);
			rmSync(file, { force: true }); // stale lock from a crashed process
		}
	}
	throw new Error(`Could not lock ${dir}`);
}
