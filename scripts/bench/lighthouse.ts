// `npm run bench:lighthouse`: Lighthouse's mobile performance figures for
// each reading page of the production build and for the bare-SvelteKit floor
// (issue 14), median of 3 runs (BENCH_RUNS to change), on three profiles:
// - mobile: Lighthouse's default (simulated slow 4G: 150 ms RTT, 1.6 Mbps, 4× CPU);
// - harsh, simulated: 300 ms RTT, 400 kbps down, 6× CPU (a cheap phone on 3G);
// - harsh, DevTools: the same profile applied by DevTools throttling while the
//   page really loads. Lighthouse equates request-level DevTools latency with
//   its simulated RTT × 3.75 and throughput × 0.9 (its own mobileSlow4G preset
//   does the same), so those are the values applied.
// BENCH_ONLY=mobile,harsh-sim,harsh-devtools picks profiles.
// Signed-in pages get the session cookie in the browser's cookie jar (a Cookie
// header in extraHeaders would be dropped once the server sets a cookie).
// Each figure is the median of its runs, taken per metric. The machine is
// shared and has 2 cores: Lighthouse's CPU slowdown multiplies whatever else
// runs, so compare pages within one run, not across runs.
// Nothing leaves the machine: Chromium resolves only loopback names and runs
// with background networking off; Lighthouse's error reporting is off.
// Needs `npm run build` first.
import lighthouse, { type Flags } from 'lighthouse';
import { launch } from 'chrome-launcher';
import puppeteer from 'puppeteer-core';
import { ensureChromium } from '../chromium';
import { serveBuiltApp } from '../serve-built';
import { serveFloor } from './floor';
import { findReadingPages, median, signIn } from './common';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const harsh = {
	rttMs: 300,
	throughputKbps: 400,
	cpuSlowdownMultiplier: 6,
	requestLatencyMs: 300 * 3.75,
	downloadThroughputKbps: 400 * 0.9,
	uploadThroughputKbps: 400 * 0.9
};
const profiles: { key: string; title: string; flags: Flags }[] = [
	{
		key: 'mobile',
		title: "Lighthouse's default mobile (simulated: 150 ms RTT, 1.6 Mbps, 4× CPU)",
		flags: {}
	},
	{
		key: 'harsh-sim',
		title: 'harsh, simulated (300 ms RTT, 400 kbps down, 6× CPU)',
		flags: { throttlingMethod: 'simulate' as const, throttling: harsh }
	},
	{
		key: 'harsh-devtools',
		title: `harsh, DevTools throttling (${harsh.requestLatencyMs} ms per request, ${harsh.downloadThroughputKbps} kbps down, 6× CPU)`,
		flags: { throttlingMethod: 'devtools' as const, throttling: harsh }
	}
].filter((profile) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(',').includes(profile.key));

interface Run {
	score: number;
	fcp: number;
	lcp: number;
	tbt: number;
	cls: number;
}

const served = await serveBuiltApp();
const floor = await serveFloor();
const chrome = await launch({
	chromePath: ensureChromium(),
	chromeFlags: [
		'--headless=new',
		'--no-sandbox',
		'--disable-gpu',
		'--disable-background-networking',
		'--disable-component-update',
		'--no-first-run',
		// Any name but loopback fails to resolve: nothing can phone home.
		'--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost'
	]
});
const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}` });

async function runOnce(url: string, flags: Flags, cookies: { name: string; value: string }[]): Promise<Run> {
	const page = await browser.newPage();
	try {
		// A clean jar, then this page's session (if any), set through DevTools.
		const cdp = await page.createCDPSession();
		await cdp.send('Network.clearBrowserCookies');
		if (cookies.length) {
			await cdp.send('Network.setCookies', {
				cookies: cookies.map((c) => ({ ...c, url: served.appUrl, httpOnly: true, sameSite: 'Lax' as const }))
			});
		}
		await cdp.detach();
		const result = await lighthouse(
			url,
			{
				logLevel: 'error',
				output: 'json',
				onlyCategories: ['performance'],
				disableFullPageScreenshot: true,
				...flags
			},
			undefined,
			page
		);
		const lhr = result?.lhr;
		if (!lhr || lhr.runtimeError) throw new Error(`${url}: ${lhr?.runtimeError?.message ?? 'no result'}`);
		if (new URL(lhr.finalDisplayedUrl).pathname !== new URL(url).pathname) {
			throw new Error(`${url} ended on ${lhr.finalDisplayedUrl} (signed out?)`);
		}
		// The page list Lighthouse saw: anything off this machine would be a leak.
		const requests = (lhr.audits['network-requests']?.details as { items?: { url: string }[] } | undefined)
			?.items;
		const away = requests?.filter(
			(r) => /^(https?|wss?):/.test(r.url) && !/\/\/(127\.0\.0\.1|localhost)[:/]/.test(r.url)
		);
		if (away?.length)
			console.warn(`[lighthouse] requests off this machine: ${away.map((r) => r.url).join(' ')}`);
		const value = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
		return {
			score: (lhr.categories.performance.score ?? NaN) * 100,
			fcp: value('first-contentful-paint'),
			lcp: value('largest-contentful-paint'),
			tbt: value('total-blocking-time'),
			cls: value('cumulative-layout-shift')
		};
	} finally {
		await page.close();
	}
}

function formatRow(done: Run[]): string {
	if (!done.length) return '  (every run failed)';
	const m = (pick: (run: Run) => number, digits: number, width: number) =>
		median(done.map(pick)).toFixed(digits).padStart(width);
	const partial = done.length < runs ? ` (${done.length}/${runs} runs)` : '';
	return `${m((r) => r.score, 0, 5)}  ${m((r) => r.fcp / 1000, 2, 7)} ${m((r) => r.lcp / 1000, 2, 7)}  ${m((r) => r.tbt, 0, 7)}  ${m((r) => r.cls, 3, 5)}${partial}`;
}

try {
	const pages = await findReadingPages(served.appUrl, await signIn(served.appUrl));
	const targets = [
		{ name: 'floor, hydrated', url: floor.hydrated, signedIn: false },
		{ name: 'floor, csr = false', url: floor.noCsr, signedIn: false },
		...pages.map((page) => ({ name: page.name, url: served.appUrl + page.path, signedIn: page.signedIn }))
	];
	const tables: string[] = [];
	for (const profile of profiles) {
		const rows = [
			`\n${profile.title}, median of ${runs}`,
			'page                 score    FCP s   LCP s   TBT ms   CLS'
		];
		for (const target of targets) {
			// A fresh session per page, so no token ages out during a long run.
			const cookies = target.signedIn ? await signIn(served.appUrl) : [];
			const done: Run[] = [];
			for (let i = 0; i < runs; i++) {
				try {
					done.push(await runOnce(target.url, profile.flags, cookies));
				} catch (error) {
					console.warn(`[lighthouse] ${profile.key} ${target.name}: ${(error as Error).message}`);
				}
			}
			const row = formatRow(done);
			rows.push(`${target.name.padEnd(19)} ${row}`);
			console.log(`[lighthouse] ${profile.key} ${target.name}: ${row.trim()}`);
		}
		tables.push(rows.join('\n'));
	}
	console.log(
		'\nLighthouse (performance only, mobile form factor, Debian Chromium headless; shared 2-core machine: timings are noisy).'
	);
	for (const table of tables) console.log(table);
} finally {
	await browser.disconnect();
	chrome.kill();
	await floor.stop();
	await served.stop();
}
