// Where a page's main thread goes while it starts on a slow phone: one cold
// load of each chosen reading page at CPU 6× (DevTools throttling, 360 px, empty
// cache, no service worker; the network is not slowed, only the CPU matters
// here), profiled by V8 from navigation until 3 s after the app has started (the
// after-paint imports included), written as <dir>/<page>.cpuprofile. Then
// `npx tsx scripts/bench/profile-summary.ts <file>` sums it by file and function.
// Needs `npm run build`; `npx vite build --minify false` gives readable names
// (compare profiles of the same kind of build only).
// BENCH_PAGES: names as bench:pages prints them (default 'thread,dialogue');
// BENCH_PROFILE: the folder (default .bench/page-profiles).
import { chromium } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureChromium } from '../chromium';
import { serveBuiltApp } from '../serve-built';
import { findReadingPages, signIn } from './common';
import { HARSH } from './ready';

const wanted = (process.env.BENCH_PAGES ?? 'thread,dialogue').split(',');
const folder = process.env.BENCH_PROFILE ?? '.bench/page-profiles';
mkdirSync(folder, { recursive: true });

const served = await serveBuiltApp();
const browser = await chromium.launch({ executablePath: ensureChromium(), args: ['--no-sandbox'] });
try {
	const cookies = await signIn(served.appUrl);
	const pages = (await findReadingPages(served.appUrl, cookies)).filter((page) => wanted.includes(page.name));
	for (const { name, path, signedIn } of pages) {
		const context = await browser.newContext({
			viewport: { width: HARSH.width, height: 740 },
			serviceWorkers: 'block'
		});
		if (signedIn) await context.addCookies(cookies.map((cookie) => ({ ...cookie, url: served.appUrl })));
		const page = await context.newPage();
		const cdp = await context.newCDPSession(page);
		await cdp.send('Network.enable');
		await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
		await cdp.send('Emulation.setCPUThrottlingRate', { rate: HARSH.cpu });
		await cdp.send('Profiler.enable');
		await cdp.send('Profiler.setSamplingInterval', { interval: 200 }); // µs
		await cdp.send('Profiler.start');
		await page.goto(served.appUrl + path, { waitUntil: 'load', timeout: 90_000 });
		// Pages with csr = false never start: their profile ends 3 s after load.
		await page
			.waitForSelector('html[data-started]', { state: 'attached', timeout: 30_000 })
			.catch(() => undefined);
		await page.waitForTimeout(3000);
		const { profile } = await cdp.send('Profiler.stop');
		const file = join(folder, `${name.replace(/\W+/g, '-')}.cpuprofile`);
		writeFileSync(file, JSON.stringify(profile));
		console.log(`${name} (${path}): ${file}`);
		await context.close();
	}
} finally {
	await browser.close();
	await served.stop();
}
