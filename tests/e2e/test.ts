// The e2e tests' `test`: Playwright's, with every page's `goto` and `reload`
// waiting until the app has started. Pages are painted before the app's
// scripts are even asked for (src/lib/server/start-after-paint.ts), so a test
// acting at once would try what only the started app does (a file picker's
// label, a live channel, the outbox) on the plain server-rendered page. A
// person sees the same: the page first, its enhancements a moment later. Pages
// without the app (csr = false, the offline page) are not waited for.
import { test as base, type Browser, type Page } from '@playwright/test';

export * from '@playwright/test';

async function appStarted(page: Page) {
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

function waitingForStart(page: Page) {
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

export const test = base.extend<object, { browser: Browser }>({
	page: async ({ page }, use) => {
		waitingForStart(page);
		await use(page);
	},
	browser: [
		async ({ browser }, use) => {
			const newContext = browser.newContext.bind(browser);
			browser.newContext = async (...args) => {
				const context = await newContext(...args);
				context.on('page', waitingForStart);
				return context;
			};
			const newPage = browser.newPage.bind(browser);
			browser.newPage = async (...args) => {
				const page = await newPage(...args);
				waitingForStart(page);
				return page;
			};
			await use(browser);
		},
		{ scope: 'worker' }
	]
});
