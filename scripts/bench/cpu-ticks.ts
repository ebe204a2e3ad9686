// CPU time per process, from /proc (Linux), for bench:server's "CPU ms per request": on a shared
// 2-core machine requests per second swing with whatever else runs, while the CPU each request
// costs the app server, the stack and PostgreSQL stays put, so an A/B shows its effect there.
import { readdirSync, readFileSync } from 'node:fs';

interface ProcessTicks {
	parent: number;
	/** user + system time, in clock ticks (USER_HZ: 100 per second on Linux). */
	ticks: number;
	command: string;
}

const MS_PER_TICK = 10;

function readProcesses(): Map<number, ProcessTicks> {
	const all = new Map<number, ProcessTicks>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			// The command is in parentheses and may hold spaces; the fields follow its closing one.
			const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			all.set(Number(entry), {
				parent: Number(fields[1]),
				ticks: Number(fields[11]) + Number(fields[12]),
				command
			});
		} catch {
			// The process ended while the list was read.
		}
	}
	return all;
}

function treeOf(all: Map<number, ProcessTicks>, root: number): number[] {
	const tree = [root];
	for (let i = 0; i < tree.length; i++) for (const [pid, p] of all) if (p.parent === tree[i]) tree.push(pid);
	return tree;
}

export interface CpuSplit {
	/** The process serving the stack (PGlite runs in it), and everything it started (the app server). */
	stack: number;
	app: number;
	/** Every `postgres` process on the machine: the real-Postgres run's server and backends. */
	postgres: number;
}

/** Starts counting; the returned function gives the CPU milliseconds spent since, split by part. */
export function countCpu(stackPid: number): () => CpuSplit {
	const before = readProcesses();
	return () => {
		const after = readProcesses();
		const spent = (pid: number) =>
			((after.get(pid)?.ticks ?? 0) - (before.get(pid)?.ticks ?? 0)) * MS_PER_TICK;
		const app = treeOf(after, stackPid)
			.slice(1)
			.reduce((sum, pid) => sum + spent(pid), 0);
		let postgres = 0;
		for (const [pid, p] of after) if (p.command === 'postgres') postgres += spent(pid);
		return { stack: spent(stackPid), app, postgres };
	};
}
