// Nothing wider than a phone: every page at 320 and 360 px, with the content
// that once made pages 977 px wide (a pasted link as a thread title), 200
// characters of Khmer without a space, and names and file names with no place
// to break. A page wider than the screen makes the phone zoom everything out.
import { expect, test, type Page } from './test';
import { signUp, tinyPdf, uniqueEmail } from './helpers';

// Each 200 characters or fewer (the schema's limits for titles and file names).
const URL_TITLE = (
	'https://www.facebook.com/groups/1234567890123/permalink/9876543210987654?__cft__[0]=' +
	'AZXkQ9s8d7f6AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'.repeat(4)
).slice(0, 200);
const LONG_URL = URL_TITLE + 'Zz0123456789'.repeat(40);
const KHMER_RUN = 'ក្សា'.repeat(50);
const LONG_NAME = 'NguyễnThịPhươngThảoHoàngMinhChâu'.repeat(3).slice(0, 80);
const LONG_SPACE = 'CLBPhụNữKhaiQuangVĩnhPhúcBìnhXuyên'.repeat(4).slice(0, 120);
const LONG_FILE = 'BaoCaoTongKetHoatDongCauLacBoPhuNu'.repeat(6).slice(0, 190) + '.pdf';
const LONG_EMAIL = `${'a'.repeat(60)}.${'b'.repeat(60)}@${'c'.repeat(60)}.example.org`;

/** Every page, loaded at each width, that is wider than the screen, with its width. */
async function tooWide(page: Page, paths: string[]): Promise<string[]> {
	const found: string[] = [];
	for (const width of [320, 360]) {
		await page.setViewportSize({ width, height: 740 });
		for (const path of paths) {
			await page.goto(path);
			await expect(page.locator('main')).toBeVisible();
			await page.evaluate(() => document.fonts.ready);
			// Folded sections (edit forms, confirmations) open too: they must fit as well.
			await page
				.locator('details')
				.evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
			const [scrollWidth, innerWidth] = await page.evaluate(() => [
				document.documentElement.scrollWidth,
				window.innerWidth
			]);
			if (scrollWidth > innerWidth) found.push(`${path} at ${width} px: ${scrollWidth} px wide`);
		}
	}
	return found;
}

test('no page is wider than a 320 or 360 px phone, whatever people type', async ({ page, browser }) => {
	test.setTimeout(180_000);
	await signUp(page, LONG_NAME, uniqueEmail('wide'));

	await page.goto('/spaces/new');
	await page.locator('input[name=name]').fill(LONG_SPACE);
	await page.locator('textarea[name=objective]').fill(KHMER_RUN);
	await page.locator('textarea[name=description]').fill(LONG_URL.slice(0, 1000));
	await page.locator('main form button[type=submit]').click();
	await expect(page.locator('.space-title')).toHaveText(LONG_SPACE);
	const space = new URL(page.url()).pathname;

	await page.goto(`${space}/threads/new`);
	await page.locator('input[name=title]').fill(URL_TITLE);
	await page.locator('textarea[name=body]').fill(`${KHMER_RUN}\n\n${LONG_URL}\n\n**${KHMER_RUN}**`);
	await page.locator('main form button[type=submit]').click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(URL_TITLE);
	const thread = new URL(page.url()).pathname;
	await page.locator('form.reply-form textarea[name=body]').fill(`@${LONG_NAME} ${LONG_URL}`);
	await page.locator('form.reply-form button[type=submit]').click();
	await expect(page.locator('.post').last()).toContainText(LONG_URL.slice(0, 40));

	await page.goto(`${space}/threads/new`);
	await page.locator('input[name=title]').fill(KHMER_RUN);
	await page.locator('textarea[name=body]').fill(KHMER_RUN);
	await page.locator('main form button[type=submit]').click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(KHMER_RUN);

	await page.goto(`${space}/members`);
	await page.locator('form[action="?/invite"] button[type=submit]').click();
	const code = (await page.locator('.invite-code').first().getAttribute('aria-label'))!;
	// The invite's printable page (QR code, link and code spelled out).
	const inviteSheet = (await page.locator('.invite-list .qr a').first().getAttribute('href'))!;

	await page.goto(`${space}/library`);
	const upload = page.locator('form.library-form');
	await upload.locator('input[name=title]').fill(URL_TITLE);
	await upload.locator('input[name=languages][value=vi]').check();
	await upload.locator('input[name=file]').setInputFiles({
		name: LONG_FILE,
		mimeType: 'application/pdf',
		buffer: tinyPdf()
	});
	await upload.locator('button[type=submit]').click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(URL_TITLE);
	const fileResource = new URL(page.url()).pathname;

	await page.goto(`${space}/library`);
	await upload.locator('input[name=kind][value=link]').check();
	await upload.locator('input[name=title]').fill(KHMER_RUN);
	await upload.locator('input[name=url]').fill(LONG_URL);
	await upload.locator('textarea[name=description]').fill(KHMER_RUN);
	await upload.locator('input[name=collection]').fill(LONG_NAME);
	await upload.locator('input[name=languages][value=km]').check();
	await upload.locator('button[type=submit]').click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(KHMER_RUN);
	const linkResource = new URL(page.url()).pathname;

	const signedIn = [
		'/',
		'/profile',
		'/join',
		'/spaces/new',
		'/library',
		`/library?q=${encodeURIComponent(KHMER_RUN)}`,
		space,
		`${space}/threads/new`,
		thread,
		`${space}/search?q=${encodeURIComponent(LONG_URL.slice(0, 200))}`,
		`${space}/search?q=${encodeURIComponent(KHMER_RUN)}`,
		`${space}/members`,
		inviteSheet,
		`${space}/library`,
		fileResource,
		linkResource
	];
	const found = await tooWide(page, signedIn);
	// The same in Khmer and Vietnamese, whose labels are longer than English.
	for (const language of ['ខ្មែរ', 'Tiếng Việt']) {
		await page.goto('/profile');
		await page.getByRole('button', { name: language }).click();
		found.push(...(await tooWide(page, [space, thread, `${space}/members`, inviteSheet, fileResource])));
		// Every section of the space's menu in view at 320 px (it wraps; it does not scroll away).
		await page.setViewportSize({ width: 320, height: 740 });
		await page.goto(space);
		const links = page.locator('.space-nav a');
		expect(await links.count()).toBeGreaterThanOrEqual(4);
		for (const box of await links.evaluateAll((all) => all.map((a) => a.getBoundingClientRect())))
			if (box.left < 0 || box.right > 320) found.push(`${language}: a space menu item is off screen`);
	}

	const signedOut = await (await browser.newContext({ isMobile: true, hasTouch: true })).newPage();
	found.push(
		...(await tooWide(signedOut, [
			`/join?code=${code}`,
			'/sign-in',
			'/sign-up',
			`/sign-up?invite=${code}`,
			`/sign-in/code?invite=${code}`,
			`/verify?type=signup&email=${encodeURIComponent(LONG_EMAIL)}&invite=${code}`,
			`/verify?type=signup&email=${encodeURIComponent(LONG_EMAIL)}`,
			'/sign-in/code',
			'/sign-in/phone',
			`/sign-up/phone?invite=${code}`,
			`/verify?type=sms&phone=%2B855971234567&invite=${code}`,
			'/reset-password',
			`/reset-password/confirm?email=${encodeURIComponent(LONG_EMAIL)}`
		]))
	);
	await signedOut.context().close();
	expect(found, found.join('\n')).toEqual([]);
});
