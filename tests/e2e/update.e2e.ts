// A new version is deployed while a reply waits (the server was down when she
// sent it): the app offers to update; updating keeps the waiting reply (and
// what she was typing), and when the server is back the reply is stored once.
// The "deploy" is SvelteKit's version file answering a new version (the
// browser's own service worker update check cannot be intercepted by the test).
import { expect, test, untilQuiet } from './test';
import { signUp, uniqueEmail } from './helpers';

test('a new version while a reply waits: the prompt, the update, the reply still waiting and then sent once', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
	const page = await context.newPage();
	try {
		await signUp(page, 'Hạnh Cập Nhật', uniqueEmail('update'));
		await page.getByRole('link', { name: 'Start a space' }).click();
		await page.getByLabel('Women’s club').check();
		await page.getByLabel('Name').fill('CLB thử cập nhật');
		await page.getByLabel('Objective').fill('Thử cập nhật ứng dụng khi có tin chờ gửi.');
		await page.getByRole('button', { name: 'Create space' }).click();
		await expect(page.locator('.space-title')).toHaveText('CLB thử cập nhật');
		await page.getByRole('link', { name: 'Start a discussion' }).click();
		await page.getByLabel('Title').fill('Họp tháng Mười Hai');
		await page.getByLabel('Message').fill('Ai đến được thì báo nhé.');
		await page.getByRole('button', { name: 'Post' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Họp tháng Mười Hai');
		const threadUrl = new URL(page.url()).pathname;
		await page.waitForFunction(async () => {
			await navigator.serviceWorker.ready;
			return !!navigator.serviceWorker.controller;
		});

		// Written offline, and when the phone is back the server is down: the reply waits.
		const replyAction = (url: URL) => url.search === '?/reply';
		// After the update, a send is held until the server is "back", so that the
		// network's return lands while that send is under way (it must not be lost).
		let holdSends = false;
		let sendHeld = () => {};
		const heldSendArrived = new Promise<void>((arrived) => (sendHeld = arrived));
		let releaseHeldSend = () => {};
		const released = new Promise<void>((release) => (releaseHeldSend = release));
		let serverDown = true;
		await context.route(replyAction, async (route) => {
			if (!serverDown) return route.fallback();
			if (holdSends) {
				sendHeld();
				await released;
			}
			await route.fulfill({ status: 503, contentType: 'text/html', body: '<h1>Service unavailable</h1>' });
		});
		await untilQuiet(page);
		await context.setOffline(true);
		await page.getByLabel('Your reply').fill('Em đến được, 19:30.');
		await page.getByRole('button', { name: 'Reply' }).click();
		const waiting = page.locator('.waiting li', { hasText: 'Em đến được, 19:30.' });
		await expect(waiting).toContainText('Waiting to send');
		await page.getByLabel('Your reply').fill('Còn đang gõ câu này');
		const refusedSends = page.waitForResponse((r) => replyAction(new URL(r.url())) && r.status() === 503);
		await context.setOffline(false);
		await refusedSends;
		await expect(waiting, 'a 503 is not a refusal').toContainText('Waiting to send');

		// A new version is deployed. The app looks for one when it comes back to the
		// front (and every few minutes): SvelteKit's version file says it changed.
		await context.route('**/_app/version.json', (route) =>
			route.fulfill({ contentType: 'application/json', body: '{"version":"the-next-version"}' })
		);
		await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
		const prompt = page.locator('.update-prompt');
		await expect(prompt).toContainText('A new version of Sahakum is ready.');

		// She updates while the server is still down: the page reloads, and nothing is lost.
		holdSends = true;
		const reloaded = page.waitForEvent('load', { timeout: 30_000 });
		await prompt.getByRole('button', { name: 'Update now' }).click();
		await reloaded;
		await context.unroute('**/_app/version.json');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Họp tháng Mười Hai');
		await expect(page.locator('.update-prompt')).toHaveCount(0);
		await expect(page.locator('.waiting li', { hasText: 'Em đến được, 19:30.' })).toContainText(
			'Waiting to send'
		);
		await expect(page.getByLabel('Your reply')).toHaveValue('Còn đang gõ câu này');

		// The server comes back while the updated page's first try is still under way:
		// the network's return is not dropped for that, and the reply is sent, once.
		await heldSendArrived;
		serverDown = false;
		await page.evaluate(() => dispatchEvent(new Event('online')));
		releaseHeldSend();
		// (Polled as text, so that a failure says what the item shows: still waiting, or refused and why.)
		await expect.poll(() => page.locator('.waiting li').allInnerTexts(), { timeout: 20_000 }).toEqual([]);
		await page.goto(threadUrl);
		await expect(page.locator('.post', { hasText: 'Em đến được, 19:30.' })).toHaveCount(1);
	} finally {
		await context.close();
	}
});
