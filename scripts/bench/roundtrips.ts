// `npm run bench:roundtrips`: how many Supabase calls each reading page's
// server load makes, and how many of them wait for one another (issue 14: at
// most 2 sequential round trips per page). The production server runs with a
// preload (fetch-log.ts) that logs every request to the stack with start
// and end times; each page is requested alone, so the calls logged while it
// was served are its calls.
// - calls: requests to Supabase (Auth, PostgREST, Storage) for one page view;
// - chain: the longest run of calls each starting after the previous one
//   ended, i.e. the round trips a reader waits for one after another;
// - waves: calls grouped by overlap (a wave starts when nothing is in flight).
// The page is requested 3 times (the first warms up); figures are from the
// last, and the calls are listed wave by wave. With DATABASE_URL the stack
// runs on that Postgres, where calls in one wave really run side by side
// (PGlite has one session, so its "parallel" calls queue behind each other).
// Needs `npm run build` first.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serveBuiltApp } from '../serve-built';
import { cookieHeader, findReadingPages, signIn } from './common';

interface Call {
	method: string;
	path: string;
	status: number;
	start: number;
	end: number;
}

const dir = mkdtempSync(join(tmpdir(), 'sahakum-roundtrips-'));
const log = join(dir, 'fetch.jsonl');
writeFileSync(log, '');
const preload = resolve(import.meta.dirname, 'fetch-log.ts');
const databaseUrl = process.env.DATABASE_URL || undefined;
const served = await serveBuiltApp({
	databaseUrl,
	env: { NODE_OPTIONS: `--import tsx --import ${preload}`, BENCH_FETCH_LOG: log }
});

/** The calls logged while `action` ran. */
async function callsDuring(action: () => Promise<unknown>): Promise<Call[]> {
	const before = readFileSync(log, 'utf8').length;
	await action();
	return readFileSync(log, 'utf8')
		.slice(before)
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line) as Call);
}

/** Longest chain of calls where each starts after the previous ended. */
function longestChain(calls: Call[]): number {
	const sorted = [...calls].sort((a, b) => a.start - b.start);
	const chain: number[] = [];
	sorted.forEach((call, i) => {
		const before = sorted.slice(0, i).filter((other) => other.end <= call.start);
		chain[i] = 1 + Math.max(0, ...before.map((other) => chain[sorted.indexOf(other)]));
	});
	return Math.max(0, ...chain);
}

/** Calls grouped by overlap: a new wave starts when nothing is in flight. */
function waves(calls: Call[]): Call[][] {
	const groups: Call[][] = [];
	let end = -Infinity;
	for (const call of [...calls].sort((a, b) => a.start - b.start)) {
		if (call.start >= end) groups.push([]);
		groups[groups.length - 1].push(call);
		end = Math.max(end, call.end);
	}
	return groups;
}

try {
	const cookies = await signIn(served.appUrl);
	const pages = await findReadingPages(served.appUrl, cookies);
	const summary: string[] = [];
	const detail: string[] = [];
	for (const page of pages) {
		const headers = { cookie: page.signedIn ? cookieHeader(cookies) : '' };
		let calls: Call[] = [];
		let took = 0;
		for (let i = 0; i < 3; i++) {
			const started = performance.now();
			calls = await callsDuring(async () => {
				const response = await fetch(served.appUrl + page.path, { headers, redirect: 'manual' });
				await response.arrayBuffer();
				if (response.status !== 200) throw new Error(`${page.path} answered ${response.status}`);
			});
			took = performance.now() - started;
		}
		const grouped = waves(calls);
		summary.push(
			`${page.name.padEnd(18)} ${String(calls.length).padStart(5)} ${String(longestChain(calls)).padStart(6)} ${String(grouped.length).padStart(6)} ${took.toFixed(0).padStart(8)}`
		);
		detail.push(`\n${page.name} (${page.path})`);
		const origin = Math.min(...calls.map((call) => call.start));
		grouped.forEach((wave, i) => {
			for (const call of wave) {
				const at = `${(call.start - origin).toFixed(0).padStart(4)}–${(call.end - origin).toFixed(0).padEnd(4)} ms`;
				detail.push(`  ${i + 1}. ${at} ${call.method.padEnd(5)} ${call.status} ${call.path.slice(0, 110)}`);
			}
		});
	}
	const database = databaseUrl ? 'real Postgres (DATABASE_URL)' : 'PGlite in memory';
	console.log(
		`\nSupabase calls per page view (server.js, local stack on ${database}; shared 2-core machine):`
	);
	console.log('page               calls  chain  waves  page ms');
	console.log(summary.join('\n'));
	console.log('\nCalls by wave (start–end after the first call):');
	console.log(detail.join('\n'));
} finally {
	await served.stop();
	rmSync(dir, { recursive: true, force: true });
}
