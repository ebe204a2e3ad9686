// `npm run bench:server`: requests per second and latency (p50/p95/p99) of the
// production server (server.js) on the local stack, 10 connections for 20 s
// per page (BENCH_SECONDS to change): my spaces (the home page), the thread page, the thread list and a
// dialogue signed in (a Cookie header is fine for plain HTTP load), and the sign-in page.
// Requests ask for gzip/brotli as browsers do, so compressing pages is counted.
// With DATABASE_URL the same runs again with the stack on that Postgres (a
// fresh database is migrated and seeded; one that already has the schema is
// used as it is and must hold the demo data).
// The app, the stack and this load generator are three processes on a shared
// 2-core machine: they compete for CPU, so figures are noisy and low.
// BENCH_PAGES='thread,dialogue' measures only those pages.
// Beside each page: the CPU milliseconds one request cost the app server, the stack (with PGlite,
// the database too) and PostgreSQL (every postgres process on the machine), from /proc. They move
// far less than req/s with the machine's other load, so an A/B reads best there.
// Needs `npm run build` first.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { cookieHeader, findReadingPages, signIn } from './common';
import { countCpu } from './cpu-ticks';

const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const connections = 10;

async function serveInChild(databaseUrl?: string, serverScript?: string) {
	// BENCH_PROFILE=<dir>: CPU profiles of the app server and of the stack's process, written there
	// (open them in Chrome's DevTools, or sum them with scripts/bench/profile-summary.ts).
	const profile = process.env.BENCH_PROFILE
		? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
		: [];
	const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'scripts/bench/serve-child.ts'], {
		stdio: ['pipe', 'pipe', 'inherit'],
		env: { ...process.env, BENCH_DATABASE_URL: databaseUrl ?? '', BENCH_SERVER_SCRIPT: serverScript ?? '' }
	});
	const lines = createInterface({ input: child.stdout });
	for await (const line of lines) {
		if (line.startsWith('{"appUrl"')) {
			const { appUrl } = JSON.parse(line) as { appUrl: string };
			return {
				appUrl,
				pid: child.pid!,
				stop: () =>
					new Promise<void>((resolve) => {
						child.once('exit', () => resolve());
						child.stdin.end();
					})
			};
		}
	}
	throw new Error(`the app and stack process exited (code ${child.exitCode})`);
}

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function load(url: string, cookie: string, stackPid: number) {
	const times: number[] = [];
	const cpuSince = countCpu(stackPid);
	const options = {
		url,
		connections,
		duration: seconds,
		timeout: 60,
		headers: { cookie, 'accept-encoding': 'gzip, deflate, br', accept: 'text/html' }
	};
	// The callback form returns the instance, whose events give every response time (for p95).
	const result = await new Promise<autocannon.Result>((resolve, reject) => {
		const instance = autocannon(options, (error, done) => (error ? reject(error as Error) : resolve(done)));
		instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
	});
	const cpu = cpuSince();
	const served = result.requests.total || 1;
	times.sort((a, b) => a - b);
	return {
		cpuApp: cpu.app / served,
		cpuStack: cpu.stack / served,
		cpuPostgres: cpu.postgres / served,
		rps: result.requests.total / result.duration,
		p50: percentile(times, 50),
		p95: percentile(times, 95),
		p99: percentile(times, 99),
		non2xx: result.non2xx,
		errors: result.errors
	};
}

// BENCH_BUILDS=name=dir,name=dir: an A/B of builds in one run, each a copy of
// server.js and build/ in a folder under this project (`mkdir -p .bench/a && cp
// -r server.js build .bench/a/`), each on its own stack; every page is measured
// on each build in turn, so a change in the machine's load falls on both.
const builds = process.env.BENCH_BUILDS
	? process.env.BENCH_BUILDS.split(',').map((pair) => {
			const [name, dir] = pair.split('=');
			return { name, serverScript: `${dir}/server.js` };
		})
	: [{ name: '', serverScript: undefined }];

async function bench(label: string, databaseUrl?: string): Promise<string[]> {
	// One database for all builds would be shared; on PGlite each build gets its own stack.
	const servers: { name: string; served: Awaited<ReturnType<typeof serveInChild>> }[] = [];
	try {
		for (const build of databaseUrl ? builds.slice(0, 1) : builds)
			servers.push({ name: build.name, served: await serveInChild(databaseUrl, build.serverScript) });
		const rows = [`\n${label}: ${connections} connections, ${seconds} s per page`];
		const measured = [];
		for (const { name, served } of servers) {
			const cookies = await signIn(served.appUrl);
			// The session cookie goes up with every request to the app, static files included.
			const sizes = cookies.map(
				(cookie) => `${cookie.name} ${cookie.name.length + 1 + cookie.value.length} B`
			);
			rows.push(
				`${name ? name + ': ' : ''}Cookie: ${cookieHeader(cookies).length} B per request (${sizes.join(', ')})`
			);
			const pages = await findReadingPages(served.appUrl, cookies);
			const path = (page: string) => pages.find((found) => found.name === page)?.path;
			measured.push({
				name,
				appUrl: served.appUrl,
				pid: served.pid,
				targets: [
					{ name: 'my spaces', path: '/', cookie: cookieHeader(cookies) },
					{ name: 'thread', path: path('thread'), cookie: cookieHeader(cookies) },
					{ name: 'thread list', path: path('thread list'), cookie: cookieHeader(cookies) },
					{ name: 'dialogue', path: path('dialogue'), cookie: cookieHeader(cookies) },
					{ name: 'sign-in', path: '/sign-in', cookie: '' }
				]
			});
		}
		rows.push(
			`${builds.length > 1 ? 'build    ' : ''}page           req/s    p50 ms   p95 ms   p99 ms   non-2xx  errors   CPU ms per request: app  stack  postgres`
		);
		const only = process.env.BENCH_PAGES?.split(',').map((name) => name.trim());
		for (const [i, { name: page }] of measured[0].targets.entries()) {
			if (only && !only.includes(page)) continue;
			for (const build of measured) {
				const target = build.targets[i];
				if (!target.path) continue;
				const r = await load(build.appUrl + target.path, target.cookie, build.pid);
				const ms = (n: number) => n.toFixed(0).padStart(8);
				const row = `${builds.length > 1 ? build.name.padEnd(9) : ''}${page.padEnd(12)} ${r.rps.toFixed(1).padStart(7)} ${ms(r.p50)} ${ms(r.p95)} ${ms(r.p99)}  ${String(r.non2xx).padStart(8)} ${String(r.errors).padStart(7)}   ${' '.repeat(19)}${r.cpuApp.toFixed(1).padStart(4)} ${r.cpuStack.toFixed(1).padStart(6)} ${r.cpuPostgres.toFixed(1).padStart(9)}`;
				console.log(`[server] ${label}: ${row}`);
				rows.push(row);
			}
		}
		return rows;
	} finally {
		await Promise.all(servers.map(({ served }) => served.stop()));
	}
}

const rows = await bench('PGlite in memory (the local stack)');
if (process.env.DATABASE_URL)
	rows.push(...(await bench('real Postgres (DATABASE_URL)', process.env.DATABASE_URL)));
else rows.push('\n(Set DATABASE_URL to run the same on a real Postgres.)');
console.log('\nProduction server (server.js) on the local stack; shared 2-core machine, figures are noisy.');
console.log(rows.join('\n'));
