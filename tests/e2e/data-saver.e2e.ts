// The data saver, as a club leader on paid data would use it: turned on
// without JavaScript, it keeps a recording from loading by itself and shows
// its kind and size instead; the link opens the file (no JavaScript), or a tap
// loads the player in place (JavaScript). The choice follows her to another
// phone through her profile, and turning it off brings the player back.
import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type BrowserContext } from './test';

const vi = JSON.parse(readFileSync('messages/vi.json', 'utf8')) as Record<string, string>;
const CLUB = '10000000-0000-4000-a000-000000000001';

/** One second of 8 kHz 8-bit mono silence: a real WAV (the server reads the first bytes). */
function wav(): Buffer {
	const samples = 8000;
	const header = Buffer.alloc(44);
	header.write('RIFF', 0);
	header.writeUInt32LE(36 + samples, 4);
	header.write('WAVE', 8);
	header.write('fmt ', 12);
	header.writeUInt32LE(16, 16);
	header.writeUInt16LE(1, 20);
	header.writeUInt16LE(1, 22);
	header.writeUInt32LE(8000, 24);
	header.writeUInt32LE(8000, 28);
	header.writeUInt16LE(1, 32);
	header.writeUInt16LE(8, 34);
	header.write('data', 36);
	header.writeUInt32LE(samples, 40);
	return Buffer.concat([header, Buffer.alloc(samples, 0x80)]);
}

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
	await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function hoa(browser: Browser, javaScriptEnabled: boolean) {
	const context = await browser.newContext({
		viewport: { width: 360, height: 740 },
		isMobile: true,
		hasTouch: true,
		javaScriptEnabled
	});
	contexts.push(context);
	const page = await context.newPage();
	await page.goto('/sign-in');
	await page.locator('input[name=email]').fill('hoa@sahakum.test');
	await page.locator('input[name=password]').fill('sahakum-demo');
	await page.locator('main form button.primary').click();
	await expect(page).not.toHaveURL(/sign-in/);
	return page;
}

test('with the data saver on, a recording shows its size and loads only when asked', async ({ browser }) => {
	test.setTimeout(90_000);
	// Without JavaScript: the settings page says what needs it, and the saver is a plain form.
	const page = await hoa(browser, false);
	await page.goto('/profile/notifications');
	await expect(page.getByText(vi.push_needs_js)).toBeVisible();
	await page.getByRole('checkbox', { name: vi.saver_label }).check();
	await page.locator('form[action="?/saver"] button[type=submit]').click();
	await expect(page.getByText(vi.saver_on)).toBeVisible();

	await page.goto(`/spaces/${CLUB}/library`);
	const form = page.locator('form.library-form');
	await form.locator('input[name=title]').fill('Ghi âm buổi họp tháng 12');
	await form
		.locator('input[name=file]')
		.setInputFiles({ name: 'hop.wav', mimeType: 'audio/wav', buffer: wav() });
	await form.locator('button[type=submit]').click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ghi âm buổi họp tháng 12');
	const resourceUrl = page.url();
	await expect(page.locator('audio')).toHaveCount(0);
	const link = page.getByRole('link', { name: vi.saver_load_audio.replace('{size}', '8 KB') });
	await expect(link).toBeVisible();
	const file = await page.request.get((await link.getAttribute('href'))!);
	expect(file.status()).toBe(200);
	expect(file.headers()['content-type']).toContain('audio/wav');

	// Another phone with JavaScript: the choice comes from her profile when she signs in (the first
	// page she opens respects it); a tap loads the player here.
	const other = await hoa(browser, true);
	await other.goto(resourceUrl);
	await expect(other.locator('audio')).toHaveCount(0);
	await other.getByRole('link', { name: vi.saver_load_audio.replace('{size}', '8 KB') }).click();
	await expect(other.locator('audio')).toHaveCount(1);
	expect(other.url()).toBe(resourceUrl);

	// Off again: the player is there at once (it still loads nothing until played).
	await other.goto('/profile/notifications');
	await other.getByRole('checkbox', { name: vi.saver_label }).uncheck();
	await other.locator('form[action="?/saver"] button[type=submit]').click();
	await expect(other.getByText(vi.saver_off)).toBeVisible();
	await other.goto(resourceUrl);
	await expect(other.locator('audio')).toHaveCount(1);

	// Leave the club's library as the other tests expect it (Hoa leads the club: she may delete).
	await other.locator('.library-delete summary').click();
	const remove = other.locator('form[action="?/delete"]');
	await remove.locator('input[name=confirm]').check();
	await remove.locator('button[type=submit]').click();
	await expect(other).toHaveURL(new RegExp(`/spaces/${CLUB}/library$`));
});
