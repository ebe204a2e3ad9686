// First and repeat visit with the service worker on (issue 14: first visit,
// service worker install included, ≤ 170 KiB; repeat visit ≤ 10 KiB), for
// bench:pages. Bytes are what crossed the network: the page's own requests
// that the network answered plus everything the service worker fetched
// (its precache), with Chromium's own encodings (brotli where offered).
// A response the service worker answered from its cache costs nothing.
import type { Browser, Page, Request } from '@playwright/test';
import { rawGet, type SessionCookie } from './common';

export interface Visits {
	first: number;
	repeat: number;
	/** Whether a service worker took control (no worker: both visits go to the network). */
	worker: boolean;
}

async function networkBytes(request: Request): Promise<number> {
	const response = await request.response();
	if (!response || response.fromServiceWorker()) return 0;
	const sizes = await request.sizes();
	// Negative: Chromium answered from its HTTP cache (a file the page had already fetched).
	if (sizes.responseBodySize < 0) return 0;
	if (sizes.responseBodySize === 0 && request.serviceWorker() && response.status() === 200) {
		// Chromium reports no size for the worker script's own download: ask the server.
		// (Elsewhere 0 is real: a page revalidated with 304 shows as a bodiless 200.)
		const again = await rawGet(request.url(), { 'accept-encoding': 'br, gzip' });
		return again.body.length + sizes.responseHeadersSize;
	}
	return sizes.responseBodySize + sizes.responseHeadersSize;
}

export async function measureVisits(
	browser: Browser,
	url: string,
	cookies: SessionCookie[],
	settle: (page: Page) => Promise<void>
): Promise<Visits> {
	const context = await browser.newContext({
		viewport: { width: 360, height: 740 },
		serviceWorkers: 'allow'
	});
	try {
		if (cookies.length) await context.addCookies(cookies.map((c) => ({ ...c, url: new URL(url).origin })));
		const pending: Promise<number>[] = [];
		// Context events include the service worker's own requests in Chromium.
		context.on('requestfinished', (request) => pending.push(networkBytes(request)));
		const total = async () => (await Promise.all(pending.splice(0))).reduce((a, b) => a + b, 0);

		const page = await context.newPage();
		await page.goto(url, { waitUntil: 'load' });
		// Installed means precached: wait for an active worker (if the page registers one).
		const worker = await page
			.evaluate(() =>
				Promise.race([
					navigator.serviceWorker.ready.then(() => true),
					new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 15_000))
				])
			)
			.catch(() => false);
		await settle(page);
		const first = await total();

		// Repeat visit: a new tab, as when the member comes back later.
		await page.close();
		const again = await context.newPage();
		await again.goto(url, { waitUntil: 'load' });
		await settle(again);
		return { first, repeat: await total(), worker };
	} finally {
		await context.close();
	}
}
