// The data-directory lock under a real race: many processes start at the same
// moment (released together by a barrier file) against a directory whose lock
// names a dead process, and exactly one of them may end up holding it. The
// holder is then killed with SIGKILL, so the next round starts from its stale
// lock, as after a crash. The children run the real lock.ts (transpiled once,
// so each child starts in milliseconds instead of loading tsx).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from '../lock';

const STARTERS = 20;
const ROUNDS = 10;

let work: string;
let child: string;
const running = new Set<ChildProcess>();

beforeAll(() => {
	work = mkdtempSync(join(tmpdir(), 'sahakum-lock-'));
	const source = readFileSync(join(import.meta.dirname, '../lock.ts'), 'utf8');
	const { outputText } = ts.transpileModule(source, {
		compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 }
	});
	writeFileSync(join(work, 'lock.mjs'), outputText);
	child = join(work, 'starter.mjs');
	writeFileSync(
		child,
		`import { existsSync } from 'node:fs';
		import { lockDataDir, DataDirInUseError } from './lock.mjs';
		const [dir, barrier] = process.argv.slice(2);
		const pause = new Int32Array(new SharedArrayBuffer(4));
		process.stdout.write('ready\\n');
		while (!existsSync(barrier)) Atomics.wait(pause, 0, 0, 1);
		try {
			lockDataDir(dir);
			process.stdout.write('held ' + process.pid + '\\n');
			setInterval(() => {}, 1000); // hold it until killed
		} catch (error) {
			if (!(error instanceof DataDirInUseError)) throw error;
			process.stdout.write('busy ' + error.pid + '\\n');
		}`
	);
});

afterAll(() => {
	for (const proc of running) proc.kill('SIGKILL'); // a failed round leaves its holders behind
	rmSync(work, { recursive: true, force: true });
});

interface Starter {
	process: ChildProcess;
	lines: string[];
	exited: Promise<void>;
}

function start(dir: string, barrier: string): Starter {
	const proc = spawn(process.execPath, [child, dir, barrier], { stdio: ['ignore', 'pipe', 'inherit'] });
	running.add(proc);
	proc.once('exit', () => running.delete(proc));
	const starter: Starter = {
		process: proc,
		lines: [],
		exited: new Promise((done) => proc.once('exit', () => done()))
	};
	let buffer = '';
	proc.stdout.on('data', (chunk: Buffer) => {
		buffer += chunk.toString();
		const parts = buffer.split('\n');
		buffer = parts.pop()!;
		starter.lines.push(...parts);
	});
	return starter;
}

async function until(condition: () => boolean, what: string, ms = 20_000) {
	const end = Date.now() + ms;
	while (!condition()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 5));
	}
}

/** A pid that is certainly dead: a process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
	const proc = spawn(process.execPath, ['-e', '']);
	await new Promise((done) => proc.once('exit', done));
	return proc.pid!;
}

describe('data-directory lock', () => {
	it('refuses a second holder while the first lives, and is free again once released', () => {
		const dir = join(work, 'single');
		const release = lockDataDir(dir);
		expect(readFileSync(`${dir}.pid`, 'utf8')).toBe(String(process.pid));
		expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
		release();
		expect(readdirSync(work).filter((name) => name.startsWith('single'))).toEqual([]);
		lockDataDir(dir)();
	});

	it(`${STARTERS} simultaneous starts × ${ROUNDS} rounds over a stale lock: exactly one holder each round`, async () => {
		const dir = join(work, 'db');
		const lockFile = `${dir}.pid`;
		writeFileSync(lockFile, String(await deadPid()));
		const started = Date.now();
		let starts = 0;
		for (let round = 0; round < ROUNDS; round++) {
			if (round === 3) {
				// A starter that died half way through a takeover left its takeover file.
				const stale = readFileSync(lockFile, 'utf8');
				writeFileSync(`${lockFile}.takeover-${stale}`, String(await deadPid()));
			}
			if (round === 6) rmSync(lockFile); // and once from no lock at all
			const barrier = join(work, `go-${round}`);
			const starters = Array.from({ length: STARTERS }, () => start(dir, barrier));
			await until(() => starters.every((s) => s.lines.includes('ready')), 'starters to load');
			writeFileSync(barrier, '');
			await until(() => starters.every((s) => s.lines.length === 2), 'every starter to decide');
			starts += starters.length;

			const holders = starters.filter((s) => s.lines[1].startsWith('held '));
			const busy = starters.filter((s) => s.lines[1].startsWith('busy '));
			expect(holders, `round ${round}`).toHaveLength(1);
			expect(busy).toHaveLength(STARTERS - 1);
			const holderPid = holders[0].process.pid;
			// Every refused starter names the winner, and the lock file does too.
			expect(new Set(busy.map((s) => s.lines[1]))).toEqual(new Set([`busy ${holderPid}`]));
			expect(readFileSync(lockFile, 'utf8')).toBe(String(holderPid));

			holders[0].process.kill('SIGKILL'); // a crash: its lock stays behind, stale
			await Promise.all(starters.map((s) => s.exited));
		}
		const leftovers = readdirSync(work).filter((name) => name.startsWith('db.pid.'));
		expect(leftovers).toEqual([]); // no temp or takeover files left behind
		console.log(
			`lock race: ${ROUNDS} rounds × ${STARTERS} simultaneous starts = ${starts} starts, one holder each round (${Date.now() - started} ms)`
		);
	}, 120_000);
});
