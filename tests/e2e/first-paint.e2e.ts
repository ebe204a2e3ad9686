import { expect, test, type Page } from './test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signInAsDemo } from './helpers';

// Content first, scripts after (issue 14, src/lib/loading/start-after-paint.ts):
// a reading page references no script in its HTML, asks for none before its
// first paint, and the app still starts after it (a tap is then a client-side
// navigation, not a new document).

/** Scripts the page asked for before its first paint, and whether it has painted. */
function scriptsBeforePaint(page: Page) {
	return page.evaluate(() => {
		const paint = performance.getEntriesByType('paint')[0];
		const scripts = performance
			.getEntriesByType('resource')
			.filter((entry) => /\.m?js(\?|$)/.test(new URL(entry.name).pathname))
			.filter((entry) => paint === undefined || entry.startTime < paint.startTime)
			.map((entry) => new URL(entry.name).pathname);
		return { painted: paint !== undefined, scripts };
	});
}

test('reading pages paint before any script is asked for, then the app starts', async ({ browser }) => {
	const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
	const page = await context.newPage();
	await signInAsDemo(page, 'mai@sahakum.test');

	const space = '/spaces/10000000-0000-4000-a000-000000000001';
	for (const path of [
		'/',
		space,
		`${space}/threads/20000000-0000-4000-a000-000000000001`,
		`${space}/library`
	]) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(200);
		expect(response?.headers()['link'] ?? '', path).not.toContain('modulepreload');
		const html = await response!.text();
		expect(html, path).not.toContain('rel="modulepreload"');
		// The starter is there, waiting for the first frame.
		expect(html, path).toContain("observe({ type: 'paint', buffered: true })");
		await expect
			.poll(() => scriptsBeforePaint(page), { message: path })
			.toEqual({ painted: true, scripts: [] });
		// Then the app's scripts come.
		await expect
			.poll(
				() =>
					page.evaluate(() =>
						performance
							.getEntriesByType('resource')
							.some((entry) => entry.name.includes('/_app/immutable/nodes/'))
					),
				{ message: path }
			)
			.toBe(true);
	}

	// Once started, a tap loads the next page's data, not a new document.
	let documents = 0;
	page.on('request', (request) => {
		if (request.resourceType() === 'document') documents++;
	});
	await page.waitForLoadState('networkidle');
	await page
		.getByRole('link', { name: /Thư viện|Library/ })
		.first()
		.click();
	await expect(page).toHaveURL(/\/library/);
	expect(documents).toBe(0);
	await context.close();
});

// src/lib/loading/chunks.ts matches paths inside Svelte's and SvelteKit's
// sources: if an upgrade moves them, the runtimes fall out of the `framework`
// chunk without a word. Read from the build this run serves.
test('the framework is one chunk: Svelte’s and SvelteKit’s client runtimes are in it, nowhere else, and a page loads it', async ({
	page
}) => {
	const client = '.svelte-kit/output/client';
	const manifest = JSON.parse(readFileSync(join(client, '.vite/manifest.json'), 'utf8')) as Record<
		string,
		{ file: string; name?: string }
	>;
	const framework = Object.values(manifest).filter((chunk) => chunk.name === 'framework');
	expect(framework).toHaveLength(1);
	// Svelte's runtime errors link to svelte.dev/e/…; Kit's client sends x-sveltekit-invalidated.
	const withRuntimes = readdirSync(join(client, '_app/immutable'), { recursive: true, encoding: 'utf8' })
		.filter((file) => file.endsWith('.js'))
		.map((file) => `_app/immutable/${file}`)
		.filter((file) => {
			const code = readFileSync(join(client, file), 'utf8');
			return code.includes('svelte.dev/e/') || code.includes('x-sveltekit-invalidated');
		});
	expect(withRuntimes).toEqual([framework[0].file]);
	const code = readFileSync(join(client, framework[0].file), 'utf8');
	expect(code).toContain('svelte.dev/e/');
	expect(code).toContain('x-sveltekit-invalidated');

	await page.goto('/sign-in');
	await expect
		.poll(() =>
			page.evaluate(() =>
				performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname)
			)
		)
		.toContain(`/${framework[0].file}`);
});
