// The e2e tests' `test`: Playwright's, with every page's `goto` and `reload`
// waiting until the app has started. Pages are server-rendered and shown
// before the app's module scripts have arrived and run, so a test
// acting at once would try what only the started app does (a file picker's
// label, a live channel, the outbox) on the plain server-rendered page. A
// person sees the same: the page first, its enhancements a moment later. Pages
// without the app (csr = false, the offline page) are not waited for.
import { test as base, type Browser, type BrowserContext, type Page } from '@playwright/test';

export * from '@playwright/test';

// Contexts made with JavaScript off: their pages never start the app, so
// waiting for it would only spend the 15 s below on every goto.
const withoutScripts = new WeakSet<BrowserContext>();

async function appStarted(page: Page) {
	if (withoutScripts.has(page.context())) return;
	await page
		.waitForFunction(
			() =>
				document.documentElement.hasAttribute('data-started') ||
				![...document.scripts].some((script) => script.textContent?.includes('kit.start')),
			null,
			{ timeout: 15_000 }
		)
		// A navigation that left the page (a redirect, a closed tab) leaves
		// nothing to wait for; the test's own assertions judge what came next.
		.catch(() => undefined);
}

// Requests each page has in flight, and when the last one began or ended.
const traffic = new WeakMap<Page, { inFlight: Set<unknown>; lastChange: number }>();

function watchTraffic(page: Page) {
	const seen = { inFlight: new Set<unknown>(), lastChange: Date.now() };
	traffic.set(page, seen);
	const ended = (request: unknown) => {
		if (seen.inFlight.delete(request)) seen.lastChange = Date.now();
	};
	page.on('request', (request) => {
		seen.inFlight.add(request);
		seen.lastChange = Date.now();
	});
	page.on('requestfinished', ended);
	page.on('requestfailed', ended);
}

/**
 * Waits until the page has had no request in flight for `quietMs`. A live page
 * refetches on its own shortly after it starts (notices replayed from when its
 * data was read), loads its live code after the first paint, saves what was
 * opened for offline use; a test that cuts the network while any of that is
 * on the way tests a race, not the feature. The race itself (a live refresh
 * cut by the network) has its own test in realtime.e2e.ts.
 */
export async function untilQuiet(page: Page, quietMs = 1_000, timeoutMs = 15_000) {
	const seen = traffic.get(page);
	if (!seen) throw new Error('untilQuiet: this page was not opened through the e2e test fixture');
	const deadline = Date.now() + timeoutMs;
	while (seen.inFlight.size > 0 || Date.now() - seen.lastChange < quietMs) {
		if (Date.now() > deadline) throw new Error(`untilQuiet: still ${seen.inFlight.size} requests in flight`);
		await page.waitForTimeout(100);
	}
}

function waitingForStart(page: Page) {
	watchTraffic(page);
	const goto = page.goto.bind(page);
	const reload = page.reload.bind(page);
	page.goto = async (...args) => {
		const response = await goto(...args);
		if (args[1]?.waitUntil !== 'commit') await appStarted(page);
		return response;
	};
	page.reload = async (...args) => {
		const response = await reload(...args);
		await appStarted(page);
		return response;
	};
}

/**
 * A page that has not started yet writes its language to the locale cookie when it
 * starts (paraglide's client runtime keeps the locale it first read): a test that
 * sets the cookie right after a click landed on a new page (signing in) could have
 * it put back by that page a moment later, and then read the app in the wrong
 * language. Cookies change once every open page of the context has started.
 */
function cookiesAfterStart(context: BrowserContext) {
	const addCookies = context.addCookies.bind(context);
	context.addCookies = async (...args) => {
		await Promise.all(context.pages().map((page) => appStarted(page)));
		return addCookies(...args);
	};
}

export const test = base.extend<object, { browser: Browser }>({
	page: async ({ page }, use) => {
		waitingForStart(page);
		cookiesAfterStart(page.context());
		await use(page);
	},
	browser: [
		async ({ browser }, use) => {
			const newContext = browser.newContext.bind(browser);
			browser.newContext = async (...args) => {
				const context = await newContext(...args);
				if (args[0]?.javaScriptEnabled === false) withoutScripts.add(context);
				context.on('page', waitingForStart);
				cookiesAfterStart(context);
				return context;
			};
			const newPage = browser.newPage.bind(browser);
			browser.newPage = async (...args) => {
				const page = await newPage(...args);
				waitingForStart(page);
				cookiesAfterStart(page.context());
				return page;
			};
			await use(browser);
		},
		{ scope: 'worker' }
	]
});
