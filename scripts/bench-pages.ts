// `npm run bench:pages`: what a phone downloads per page of the production
// build — JavaScript and CSS bytes as transferred (compressed), requests, and
// DOMContentLoaded on loopback — for a signed-out page and the main signed-in
// pages, as the demo facilitator. Needs `npm run build` first.
import { chromium } from '@playwright/test';
import { ensureChromium } from './chromium';
import { serveBuiltApp } from './serve-built';

const served = await serveBuiltApp();
const browser = await chromium.launch({ executablePath: ensureChromium(), args: ['--no-sandbox'] });
const context = await browser.newContext({ viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });
const page = await context.newPage();
const club = '/spaces/10000000-0000-4000-a000-000000000001';
const routes: [string, string][] = [
	['sign-in (signed out)', '/sign-in'],
	['home: my spaces', '/'],
	['space: thread list', club],
	['thread page', `${club}/threads/20000000-0000-4000-a000-000000000001`],
	['members', `${club}/members`],
	['search', `${club}/search?q=bao+hiem`],
	['space library', `${club}/library`],
	['shared library', '/library']
];

async function measure(path: string) {
	const cdp = await context.newCDPSession(page);
	await cdp.send('Network.enable');
	await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
	const types = new Map<string, string>();
	const sizes = { js: 0, css: 0, other: 0, requests: 0 };
	cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
	cdp.on('Network.loadingFinished', (e) => {
		const type = types.get(e.requestId);
		sizes.requests++;
		if (type === 'Script') sizes.js += e.encodedDataLength;
		else if (type === 'Stylesheet') sizes.css += e.encodedDataLength;
		else sizes.other += e.encodedDataLength;
	});
	const started = Date.now();
	await page.goto(served.appUrl + path, { waitUntil: 'networkidle' });
	const dcl = await page.evaluate(
		() =>
			(performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd
	);
	await cdp.detach();
	return { ...sizes, dcl: Math.round(dcl), total: Date.now() - started };
}

const rows: string[] = [];
const kib = (n: number) => (n / 1024).toFixed(1).padStart(6);
for (const [name, path] of routes) {
	if (name === 'home: my spaces') {
		await page.goto(`${served.appUrl}/sign-in`);
		await page.getByLabel('Email').fill('linh@sahakum.test');
		await page.getByLabel('Password').fill('sahakum-demo');
		await page.locator('main form button[type=submit]').click();
		await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
	}
	const r = await measure(path);
	rows.push(
		`${name.padEnd(24)} ${kib(r.js)} KiB JS ${kib(r.css)} KiB CSS ${kib(r.other)} KiB other  ${String(r.requests).padStart(3)} req  DCL ${String(r.dcl).padStart(4)} ms`
	);
}
console.log('\nPage weight, production build, cold cache, 360 px viewport (transferred bytes, compressed):');
for (const row of rows) console.log('  ' + row);
await browser.close();
await served.stop();
