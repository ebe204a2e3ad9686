import { chromium, expect, test } from './test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('the production build is installable: manifest, icons, service worker', async ({ baseURL }) => {
	// Chromium never offers installation in incognito, and test contexts are
	// incognito: use a real profile directory for this check.
	const profile = mkdtempSync(join(tmpdir(), 'sahakum-pwa-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
		baseURL
	});
	const page = context.pages()[0] ?? (await context.newPage());
	await page.goto('/');
	const manifest = (await (await page.request.get('/manifest.webmanifest')).json()) as {
		icons: { src: string; purpose?: string }[];
	};
	expect(manifest).toMatchObject({ name: 'Sahakum', display: 'standalone', start_url: '/' });
	expect(manifest.icons.some((icon) => icon.purpose === 'maskable')).toBe(true);
	for (const icon of manifest.icons) expect((await page.request.get(icon.src)).ok()).toBe(true);

	await page.waitForFunction(async () => !!(await navigator.serviceWorker.getRegistration())?.active, null, {
		timeout: 20_000
	});
	const cdp = await context.newCDPSession(page);
	const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
	expect(installabilityErrors).toEqual([]);
	await context.close();
	rmSync(profile, { recursive: true, force: true });
});

test('security headers: CSP without inline scripts, nosniff, no framing', async ({ page }) => {
	const response = await page.goto('/sign-in');
	const csp = response!.headers()['content-security-policy'];
	// Sign-in ships no JavaScript (csr = false): scripts from the app's own files only;
	// a hydrated page adds a nonce for SvelteKit's start-up script, never 'unsafe-inline'.
	expect(csp).toMatch(/script-src 'self'(?: 'nonce-[^']+')?;/);
	expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
	expect(csp).toContain("frame-ancestors 'none'");
	expect(response!.headers()['x-content-type-options']).toBe('nosniff');
	// The local stack's mailbox is not part of the app.
	expect((await page.request.get('/mailbox')).status()).toBe(404);
});
