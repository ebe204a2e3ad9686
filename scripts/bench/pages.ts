// `npm run bench:pages`: how soon a reading page of the production build is
// fully working on a slow phone, and what it downloads, next to the
// bare-SvelteKit floor built in the same run (issues 14, 24).
//
// First table, the headline (scripts/bench/ready.ts): the harsh profile with
// real DevTools throttling (300 ms per request, 400 kbps, CPU 6×, 360 px, cold
// cache, no service worker), median of BENCH_RUNS (5) cold loads per page:
// - ready: the last script has arrived and the last long task has ended;
// - TBT after paint: long tasks' time beyond 50 ms after the first contentful paint;
// - JS: every script the load fetched, gzip as the server sends it; requests.
// Pages: my spaces, a space (thread list), a thread, the space library
// (BENCH_PAGES=all for every reading page and the draft editor, or a comma
// list of names, e.g. BENCH_PAGES='thread,draft editor,draft editor 50 pages';
// the 50-page draft is scripts/bench/long-draft.ts). For the draft editor
// the run also says when its text became editable, beside the slowest
// reading page's ready.
// A/B of a loading choice: the same build served once per variant (each its own
// server environment, a switch the app reads at start), pages measured
// alternately, so a busy moment of a shared machine falls on both. Today one
// variant; the deferral of the app's start until after the first paint was
// measured that way (SAHAKUM_START_AFTER_PAINT=off, commit e51bdcb) and removed
// (src/lib/loading/README.md). BENCH_VARIANTS picks variants by name.
//
// Second table (BENCH_BYTES=0 skips it), unthrottled, the first variant:
// - in HTML: every script the HTML names (modulepreload links, script tags,
//   the inline starter's imports, the `Link` header), whenever asked for;
// - JS in total once the page has settled (idle-time imports included);
// - CSS the HTML references (it blocks the first paint);
// - HTML as sent to `Accept-Encoding: gzip` and uncompressed, and the Link header;
// - requests (and WebSockets), all bytes on the wire (brotli where offered);
// - first and repeat visit with the service worker on (visits.ts).
// JS and CSS sizes are gzip as the server sends them (adapter-node's
// precompressed files), so the app and the floor are counted the same way.
// BENCH_DETAIL=1 also lists, per page, the scripts before first paint with the
// first module Vite put in each (from the build's manifest) and the wire bytes
// by resource type: where the bytes go.
// Needs `npm run build` first. The machine is shared (2 cores): compare the
// figures of one run, never across runs.
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import { existsSync, readFileSync } from 'node:fs';
import { ensureChromium } from '../chromium';
import { serveBuiltApp, type ServedApp } from '../serve-built';
import { serveFloor } from './floor';
import { measureVisits, type Visits } from './visits';
import { cookieHeader, findReadingPages, kib, median, rawGet, signIn, type SessionCookie } from './common';
import { HARSH, measureReady, type ReadyRun } from './ready';
import { addLongDraft } from './long-draft';

interface Figures {
	name: string;
	referencedJs: number;
	css: number;
	totalJs: number;
	htmlRaw: number;
	htmlSent: number;
	htmlEncoding: string;
	linkHeader: number;
	requests: number;
	sockets: number;
	wire: number;
	prePaintFiles: string[];
	wireByType: Map<string, number>;
}

const gzipCache = new Map<string, number>();

/** Bytes the server sends for a file to a client that accepts gzip (gzipped here if it sends it plain). */
async function gzipBytes(url: string): Promise<number> {
	let size = gzipCache.get(url);
	if (size === undefined) {
		const response = await rawGet(url, { 'accept-encoding': 'gzip' });
		size = response.headers['content-encoding'] ? response.body.length : gzipSync(response.body).length;
		gzipCache.set(url, size);
	}
	return size;
}

const sum = async (urls: Iterable<string>) =>
	(await Promise.all([...urls].map(gzipBytes))).reduce((a, b) => a + b, 0);

function attribute(tag: string, name: string): string | undefined {
	return new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
}

/** Scripts and stylesheets the HTML (and its Link header) points at before anything runs. */
function referenced(html: string, linkHeader: string, base: string) {
	const js = new Set<string>();
	const css = new Set<string>();
	const add = (set: Set<string>, href: string | undefined) => href && set.add(new URL(href, base).href);
	for (const [tag] of html.matchAll(/<link\b[^>]*>/g)) {
		const rel = attribute(tag, 'rel');
		if (rel === 'modulepreload' || (rel === 'preload' && attribute(tag, 'as') === 'script')) {
			add(js, attribute(tag, 'href'));
		}
		if (rel === 'stylesheet') add(css, attribute(tag, 'href'));
	}
	for (const [tag] of html.matchAll(/<script\b[^>]*>/g)) add(js, attribute(tag, 'src'));
	// SvelteKit's inline starter: import("./_app/immutable/entry/start.js") etc.
	for (const [, href] of html.matchAll(/import\("([^"]+\.js)"\)/g)) add(js, href);
	for (const [, href, params] of linkHeader.matchAll(/<([^>]+)>([^,]*)/g)) {
		if (/rel="?modulepreload/.test(params)) add(js, href);
		if (/rel="?preload/.test(params) && /as="?style/.test(params)) add(css, href);
	}
	return { js, css };
}

async function measure(context: BrowserContext, name: string, url: string, cookie: string): Promise<Figures> {
	const identity = await rawGet(url, { cookie, 'accept-encoding': 'identity' });
	const sent = await rawGet(url, { cookie, 'accept-encoding': 'gzip' });
	if (identity.status !== 200) throw new Error(`${url} answered ${identity.status}`);
	const linkHeader = String(identity.headers.link ?? '');
	const refs = referenced(identity.body.toString('utf8'), linkHeader, url);

	// The browser's view: every script it fetched until the network stays quiet.
	const page = await context.newPage();
	const cdp = await context.newCDPSession(page);
	await cdp.send('Network.enable');
	await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
	const scripts = new Set<string>();
	const inFlight = new Set<string>();
	let requests = 0;
	let sockets = 0;
	let wire = 0;
	const types = new Map<string, string>();
	const wireByType = new Map<string, number>();
	let lastActivity = Date.now();
	cdp.on('Network.requestWillBeSent', (e) => {
		if (!e.request.url.startsWith('http')) return;
		requests++;
		inFlight.add(e.requestId);
		lastActivity = Date.now();
	});
	cdp.on('Network.responseReceived', (e) => {
		types.set(e.requestId, e.type);
		if (e.type === 'Script') scripts.add(e.response.url);
	});
	const done = (e: { requestId: string }) => {
		inFlight.delete(e.requestId);
		lastActivity = Date.now();
	};
	cdp.on('Network.loadingFinished', (e) => {
		if (inFlight.has(e.requestId)) {
			const type = types.get(e.requestId) ?? 'Other';
			wire += e.encodedDataLength;
			wireByType.set(type, (wireByType.get(type) ?? 0) + e.encodedDataLength);
		}
		done(e);
	});
	cdp.on('Network.loadingFailed', done);
	cdp.on('Network.webSocketCreated', () => sockets++);
	await page.goto(url, { waitUntil: 'load' });
	// Settled: nothing in flight for 2 s (idle-time imports start after load).
	const deadline = Date.now() + 20_000;
	while ((inFlight.size || Date.now() - lastActivity < 2000) && Date.now() < deadline) {
		await new Promise((r) => setTimeout(r, 100));
	}
	// Asked for before the browser's first paint (BENCH_DETAIL lists them).
	const prePaint = await page.evaluate(() => {
		const paint = performance.getEntriesByType('paint')[0]?.startTime ?? Infinity;
		return performance
			.getEntriesByType('resource')
			.filter((entry) => entry.startTime < paint && /\.m?js$/.test(new URL(entry.name).pathname))
			.map((entry) => entry.name);
	});
	await page.close();

	return {
		name,
		referencedJs: await sum(refs.js),
		css: await sum(refs.css),
		totalJs: await sum(new Set([...scripts, ...refs.js])),
		htmlRaw: identity.body.length,
		htmlSent: sent.body.length,
		htmlEncoding: String(sent.headers['content-encoding'] ?? 'none'),
		linkHeader: linkHeader.length,
		requests,
		sockets,
		wire,
		prePaintFiles: prePaint,
		wireByType
	};
}

/** For the visits with a service worker: network idle, then 2 s more for idle-time imports. */
async function settle(page: Page) {
	await page.waitForLoadState('networkidle');
	await page.waitForTimeout(2000);
	await page.waitForLoadState('networkidle');
}

/** Per page: scripts before first paint, largest first, named after their first module; wire bytes by type. */
async function printDetail(rows: Figures[]) {
	const manifestPath = '.svelte-kit/output/client/.vite/manifest.json';
	const manifest = existsSync(manifestPath)
		? (JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<
				string,
				{ file: string; name?: string; src?: string }
			>)
		: {};
	const names = new Map(Object.values(manifest).map((chunk) => [chunk.file, chunk.src ?? chunk.name ?? '']));
	for (const row of rows) {
		console.log(`\n${row.name}: scripts before first paint (gzip KiB)`);
		const files = await Promise.all(
			row.prePaintFiles.map(async (url) => ({ url, size: await gzipBytes(url) }))
		);
		for (const { url, size } of files.sort((a, b) => b.size - a.size)) {
			const file = new URL(url).pathname.slice(1);
			console.log(
				`  ${kib(size)}  ${file.replace('_app/immutable/', '').padEnd(28)} ${names.get(file) ?? ''}`
			);
		}
		const byType = [...row.wireByType].sort((a, b) => b[1] - a[1]);
		console.log(
			`  wire by type: ${byType.map(([type, bytes]) => `${type} ${kib(bytes, 0)}`).join(', ')} KiB`
		);
	}
}

const runs = Number(process.env.BENCH_RUNS ?? 5);
// BENCH_BUILDS=name=dir,name=dir: an A/B of two builds instead, each a copy of
// server.js and build/ in a folder under this project (so node_modules resolve),
// e.g. `mkdir -p .bench/a && cp -r server.js build .bench/a/` after each build.
const allVariants: { name: string; env: Record<string, string>; serverScript?: string }[] = process.env
	.BENCH_BUILDS
	? process.env.BENCH_BUILDS.split(',').map((pair) => {
			const [name, dir] = pair.split('=');
			return { name, env: {}, serverScript: `${dir}/server.js` };
		})
	: [{ name: 'app', env: {} }];
const variants = allVariants.filter(
	(variant) => !process.env.BENCH_VARIANTS || process.env.BENCH_VARIANTS.split(',').includes(variant.name)
);
const headline = ['my spaces', 'thread list', 'thread', 'space library'];
const EDITABLE = '[data-editor-ready] .ProseMirror[contenteditable="true"]';
const wanted = (name: string) =>
	process.env.BENCH_PAGES === 'all' || (process.env.BENCH_PAGES?.split(',') ?? headline).includes(name);

const servers: { name: string; env: Record<string, string>; served: ServedApp }[] = [];
for (const variant of variants)
	servers.push({
		...variant,
		served: await serveBuiltApp({ env: variant.env, serverScript: variant.serverScript })
	});
const floor = await serveFloor();
const browser = await chromium.launch({ executablePath: ensureChromium(), args: ['--no-sandbox'] });
try {
	const signedInto = await Promise.all(servers.map(async (server) => await signIn(server.served.appUrl)));
	const found = await findReadingPages(servers[0].served.appUrl, signedInto[0]);
	const draft = found.find((p) => p.name === 'draft');
	const candidates: { name: string; path: string; signedIn: boolean; editable?: string }[] = [
		...found,
		// The draft editor: ready as any page, and "editable" when the first text
		// section can be typed into (BENCH_PAGES=...,draft editor).
		...(draft ? [{ ...draft, name: 'draft editor', path: `${draft.path}/edit`, editable: EDITABLE }] : [])
	];
	// And a 50-page draft (scripts/bench/long-draft.ts), the same in every variant's stack.
	if (draft && wanted('draft editor 50 pages')) {
		let path = '';
		for (const server of servers) path = await addLongDraft(server.served.stack, draft.path);
		candidates.push({ ...draft, name: 'draft editor 50 pages', path: `${path}/edit`, editable: EDITABLE });
	}
	const pages = candidates.filter((p) => wanted(p.name));

	/** The harsh-profile table from the runs so far (printed after every round: a long run stopped early keeps its figures). */
	const printHarsh = async (done: number) => {
		const rowsReady: { name: string; runs: ReadyRun[] }[] = [
			{ name: 'floor, hydrated', runs: ready.get('floor')! },
			...pages.flatMap((page) =>
				servers.map((server) => ({
					name: `${page.name} (${server.name})`,
					runs: ready.get(`${server.name} ${page.name}`)!
				}))
			)
		];
		const medians = await Promise.all(
			rowsReady.map(async (row) => ({
				name: row.name,
				ready: median(row.runs.map((r) => r.ready)),
				fcp: median(row.runs.map((r) => r.fcp)),
				tbt: median(row.runs.map((r) => r.tbt)),
				longest: median(row.runs.map((r) => r.longest)),
				js: median(await Promise.all(row.runs.map((r) => sum(new Set(r.scripts))))),
				requests: median(row.runs.map((r) => r.requests)),
				editable: row.runs.some((r) => r.editable === null) ? null : median(row.runs.map((r) => r.editable!)),
				editables: row.runs.map((r) => (r.editable === null ? 'never' : (r.editable / 1000).toFixed(1))),
				readies: row.runs.map((r) => (r.ready / 1000).toFixed(1))
			}))
		);
		const floorRow = medians[0];
		const times = (value: number, of: number) => `${(value / of).toFixed(2)}×`.padStart(6);
		console.log(
			`\nHarsh profile, real DevTools throttling: ${HARSH.latencyMs} ms per request, ${HARSH.kbps} kbps, CPU ${HARSH.cpu}×, ` +
				`${HARSH.width} px, cold cache, no service worker; median of ${done} cold loads.\n` +
				'ready = last script arrived and last long task ended; TBT after the first contentful paint; JS gzip KiB as served;\n' +
				'×floor = page / the hydrated bare-SvelteKit floor built in this run. The machine is shared: compare within this run.\n'
		);
		console.log(
			'page                          ready s         FCP s   TBT ms  longest ms   JS KiB           requests  ready per run (s)'
		);
		for (const r of medians) {
			console.log(
				[
					r.name.padEnd(28),
					`${(r.ready / 1000).toFixed(2).padStart(6)} ${times(r.ready, floorRow.ready)}`,
					`  ${(r.fcp / 1000).toFixed(2).padStart(5)}`,
					`  ${r.tbt.toFixed(0).padStart(6)}`,
					`  ${r.longest.toFixed(0).padStart(9)}`,
					`  ${kib(r.js)} ${times(r.js, floorRow.js)}`,
					`  ${String(r.requests).padStart(6)}`,
					`   ${r.readies.join(' ')}`
				].join(' ')
			);
		}

		// The draft editor against the slowest reading page measured in this run (issue 24: ≤ 1.5×).
		const reading = medians.filter((r) => r !== floorRow && !r.name.startsWith('draft editor'));
		const slowest = reading.length ? reading.reduce((a, b) => (b.ready > a.ready ? b : a)) : undefined;
		for (const r of medians.filter((row) => row.name.startsWith('draft editor'))) {
			console.log(
				r.editable === null
					? `\n${r.name}: the text never became editable in at least one run`
					: `\n${r.name}: editable ${(r.editable / 1000).toFixed(2)} s` +
							(slowest
								? ` = ${(r.editable / slowest.ready).toFixed(2)}× the ready of ${slowest.name} (${(slowest.ready / 1000).toFixed(2)} s)`
								: '') +
							` (per run: ${r.editables.join(' ')} s)`
			);
		}
	};
	// The harsh profile: floor once per round, every page once per variant per round.
	const ready = new Map<string, ReadyRun[]>();
	const record = (key: string, run: ReadyRun) => ready.set(key, [...(ready.get(key) ?? []), run]);
	for (let round = 0; round < runs; round++) {
		record('floor', await measureReady(browser, floor.hydrated));
		for (const page of pages) {
			const order = round % 2 ? [...servers.keys()].reverse() : [...servers.keys()];
			for (const i of order) {
				// A fresh session now and then, so no token ages out during a long run.
				if (round > 0 && page === pages[0]) signedInto[i] = await signIn(servers[i].served.appUrl);
				const url = servers[i].served.appUrl + page.path;
				record(
					`${servers[i].name} ${page.name}`,
					await measureReady(browser, url, page.signedIn ? signedInto[i] : [], page.editable)
				);
			}
		}
		console.log(`[bench] round ${round + 1}/${runs} done`);
		if (round + 1 < runs) await printHarsh(round + 1);
	}
	await printHarsh(runs);

	if (process.env.BENCH_BYTES !== '0') await bytesTable(servers[0].served.appUrl, signedInto[0], pages);
	console.log('\nPages found:', pages.map((p) => `${p.name} ${p.path}`).join(', '));
} finally {
	await browser.close();
	await floor.stop();
	for (const server of servers) await server.served.stop();
}

/** The unthrottled bytes of the first variant's pages and the floor (see the top of this file). */
async function bytesTable(
	appUrl: string,
	cookies: SessionCookie[],
	pages: { name: string; path: string; signedIn: boolean }[]
) {
	const contextOptions = { viewport: { width: 360, height: 740 }, serviceWorkers: 'block' } as const;
	const signedOut = await browser.newContext(contextOptions);
	const signedIn = await browser.newContext(contextOptions);
	// The session cookie goes in the browser's jar, as if the form had been used there.
	await signedIn.addCookies(cookies.map((c) => ({ ...c, url: appUrl })));

	const targets = [
		{ name: 'floor, hydrated', url: floor.hydrated, signedIn: false },
		{ name: 'floor, csr = false', url: floor.noCsr, signedIn: false },
		...pages.map((page) => ({ name: page.name, url: appUrl + page.path, signedIn: page.signedIn }))
	];
	const rows: Figures[] = [];
	const visits: Visits[] = [];
	for (const target of targets) {
		const context = target.signedIn ? signedIn : signedOut;
		rows.push(await measure(context, target.name, target.url, target.signedIn ? cookieHeader(cookies) : ''));
		visits.push(await measureVisits(browser, target.url, target.signedIn ? cookies : [], settle));
	}

	const base = rows[0];
	const times = (value: number, of: number) => `${(value / of).toFixed(2)}×`.padStart(6);
	console.log(
		`\nBytes, unthrottled (${servers[0].name}). KiB = 1024 bytes, gzip as the server sends it; ×floor = page / hydrated floor;\n` +
			'360 px, cold cache, no service worker. 1st visit / repeat: all bytes on the network with the service worker on\n' +
			'(its install included), brotli where offered; "no sw" = no service worker took control.\n' +
			"in HTML: every script the HTML names (modulepreload, Link header, the starter's imports), whenever it is asked for.\n"
	);
	console.log(
		'page                 in HTML  JS total          CSS     HTML sent (enc)    HTML raw  Link hdr  requests  wire (br)  1st visit  repeat'
	);
	for (const [i, r] of rows.entries()) {
		console.log(
			[
				r.name.padEnd(19),
				`${kib(r.referencedJs)}`,
				`  ${kib(r.totalJs)} ${times(r.totalJs, base.totalJs)}`,
				`  ${kib(r.css)}`,
				`  ${kib(r.htmlSent)} (${r.htmlEncoding.padEnd(4)})`,
				`  ${kib(r.htmlRaw)}`,
				`  ${String(r.linkHeader).padStart(6)} B`,
				`  ${String(r.requests).padStart(3)}${r.sockets ? ` +${r.sockets} ws` : '      '}`,
				`  ${kib(r.wire)}`,
				`  ${kib(visits[i].first, 8)}  ${kib(visits[i].repeat)}${visits[i].worker ? '' : '  no sw'}`
			].join(' ')
		);
	}
	if (process.env.BENCH_DETAIL) await printDetail(rows);
	await signedOut.close();
	await signedIn.close();
}
