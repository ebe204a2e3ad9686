import { expect, test, type Page } from './test';
import { signInAsDemo } from './helpers';

// On a slow phone the server-rendered page is there seconds before its scripts
// start; what a person types in those seconds must survive hydration.

/** Holds back the app's scripts until the returned function is called (the
 * context blocks service workers, which would answer them from their cache). */
async function holdScripts(page: Page): Promise<() => void> {
	let release!: () => void;
	const released = new Promise<void>((resolve) => (release = resolve));
	await page.route('**/_app/immutable/**', async (route) => {
		await released;
		await route.continue();
	});
	return release;
}

test('a search typed before the scripts start is still there after they start, and finds the thread', async ({
	browser
}) => {
	const context = await browser.newContext({
		viewport: { width: 360, height: 740 },
		serviceWorkers: 'block'
	});
	const page = await context.newPage();
	await signInAsDemo(page, 'mai@sahakum.test');
	const release = await holdScripts(page);
	await page.goto('/spaces/10000000-0000-4000-a000-000000000001/search', { waitUntil: 'commit' });
	const field = page.getByLabel('Tìm trong không gian này');
	await field.fill('bao hiem xa hoi');
	release();
	// The scripts load, the page hydrates, then the root layout loads its
	// after-paint parts: once the network is quiet, the app has started.
	await page.waitForLoadState('networkidle');
	await expect(field).toHaveValue('bao hiem xa hoi');
	await page.getByRole('button', { name: 'Tìm', exact: true }).click();
	await expect(page.locator('.thread-item').first()).toContainText('Họp tháng 12: quyền lợi bảo hiểm xã hội');
	await context.close();
});
