// An invite link sent over Zalo, opened on a phone that is signed out: the
// invitation survives sign-up, code verification and sign-in (by emailed code
// or password, with or without JavaScript), and the person lands in the space,
// welcomed by its name.
import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type BrowserContext, type Page } from './test';
import { readCodeFromMailbox, signUp, uniqueEmail } from './helpers';

const vi = JSON.parse(readFileSync('messages/vi.json', 'utf8')) as Record<string, string>;
const km = JSON.parse(readFileSync('messages/km.json', 'utf8')) as Record<string, string>;
const CLUB = '10000000-0000-4000-a000-000000000001';
const COP_WOMEN = '10000000-0000-4000-a000-000000000002';
const CLUB_NAME = 'CLB Phụ nữ Khai Quang — Vĩnh Phúc';
const INVITED = `You are invited to join ${CLUB_NAME} (Women’s club).`;

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
	await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function phone(
	browser: Browser,
	options: { javaScriptEnabled?: boolean; locale?: 'en' | 'vi' | 'km'; init?: () => void } = {}
): Promise<Page> {
	const context = await browser.newContext({
		viewport: { width: 360, height: 740 },
		isMobile: true,
		hasTouch: true,
		javaScriptEnabled: options.javaScriptEnabled
	});
	contexts.push(context);
	if (options.locale) {
		await context.addCookies([
			{ name: 'PARAGLIDE_LOCALE', value: options.locale, url: test.info().project.use.baseURL! }
		]);
	}
	if (options.init) await context.addInitScript(options.init);
	return context.newPage();
}

async function signInWithPassword(page: Page, email: string, password = 'sahakum-demo') {
	await page.locator('input[name=email]').fill(email);
	await page.locator('input[name=password]').fill(password);
	await page.locator('main form button[type=submit]').click();
}

/** A facilitator (Linh, of the club, unless said) makes a fresh invite code on the Members page. */
async function newInviteCode(browser: Browser, who = 'linh@sahakum.test', space = CLUB): Promise<string> {
	const page = await phone(browser);
	await page.goto('/sign-in');
	await signInWithPassword(page, who);
	await expect(page).not.toHaveURL(/sign-in/);
	await page.goto(`/spaces/${space}/members`);
	await page.locator('form[action="?/invite"] button[type=submit]').click();
	const code = await page.locator('.invite-code').first().getAttribute('aria-label');
	expect(code).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
	await page.context().close();
	return code!;
}

/** Signed in as a demo account, then reading the app in `locale` (signing in switches to the profile's). */
async function signedIn(browser: Browser, email: string, options: Parameters<typeof phone>[1] = {}) {
	const page = await phone(browser, { ...options, locale: undefined });
	await page.goto('/sign-in');
	await signInWithPassword(page, email);
	await expect(page).not.toHaveURL(/sign-in/);
	if (options.locale) {
		await page
			.context()
			.addCookies([
				{ name: 'PARAGLIDE_LOCALE', value: options.locale, url: test.info().project.use.baseURL! }
			]);
	}
	return page;
}

/** The invite's card on a Members or Guests page. */
const inviteCard = (page: Page, code: string) =>
	page.locator('.invite-list li', { has: page.locator(`.invite-code[aria-label="${code}"]`) });

const spelled = (code: string) =>
	[code.slice(0, 4), code.slice(4)].map((group) => group.split('').join('-')).join(' ');

/** The prepared message, from the translations of the space's language. */
function spaceMessage(t: Record<string, string>, name: string, origin: string, code: string) {
	const title = t.share_space_what.replace('{name}', name);
	const link = `${origin}/join?code=${code}`;
	const text = [
		title,
		t.share_link_line.replace('{link}', link),
		t.share_code_line.replace('{join}', t.home_join).replace('{code}', spelled(code))
	].join('\n');
	return { title, text };
}

async function expectWelcomed(page: Page, welcome = `Welcome to ${CLUB_NAME}!`) {
	await expect(page).toHaveURL(new RegExp(`/spaces/${CLUB}\\?welcome=1$`));
	await expect(page.locator('.space-title')).toHaveText(CLUB_NAME);
	await expect(page.getByRole('status').filter({ hasText: welcome })).toBeVisible();
}

test('a signed-out phone opens an invite link, creates an account, confirms it by code and lands in the space', async ({
	browser
}) => {
	const code = await newInviteCode(browser);
	const page = await phone(browser);
	await page.goto(`/join?code=${code}`);
	await expect(page).toHaveURL(new RegExp(`/sign-in\\?invite=${code}$`));
	await expect(page.getByText(INVITED)).toBeVisible();

	await page.getByRole('link', { name: 'Create account' }).click();
	await expect(page).toHaveURL(new RegExp(`/sign-up\\?invite=${code}$`));
	await expect(page.getByText(INVITED)).toBeVisible();
	const email = uniqueEmail('invited');
	await page.getByLabel('Your name').fill('Vũ Thị Lan');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill('long enough password');
	await page.getByRole('button', { name: 'Create account' }).click();

	await expect(page).toHaveURL(/\/verify\?type=signup/);
	await expect(page.getByText(INVITED)).toBeVisible();
	await page.getByLabel('Code').fill(await readCodeFromMailbox(page, email));
	await page.getByRole('button', { name: 'Confirm' }).click();
	await expectWelcomed(page);
});

test('an existing account opens an invite link signed out, signs in with an emailed code and lands in the space', async ({
	browser
}) => {
	const code = await newInviteCode(browser);
	const page = await phone(browser);
	const email = uniqueEmail('member');
	await signUp(page, 'Đỗ Thị Hằng', email);
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/sign-in/);

	await page.goto(`/join?code=${code.toLowerCase()}`);
	await expect(page.getByText(INVITED)).toBeVisible();
	await page.getByRole('link', { name: 'Sign in with a code sent by email instead' }).click();
	await expect(page.getByText(INVITED)).toBeVisible();
	await page.getByLabel('Email').fill(email);
	await page.getByRole('button', { name: 'Email me a code' }).click();
	await expect(page).toHaveURL(/\/verify\?type=email/);
	await expect(page.getByText(INVITED)).toBeVisible();
	await page.getByLabel('Code').fill(await readCodeFromMailbox(page, email));
	await page.getByRole('button', { name: 'Confirm' }).click();
	await expectWelcomed(page);
});

test('without JavaScript, an invite link survives signing in with a password', async ({ browser }) => {
	const code = await newInviteCode(browser);
	const page = await phone(browser, { javaScriptEnabled: false });
	await page.goto(`/join?code=${code}`);
	await expect(page.getByText(INVITED)).toBeVisible();
	await signInWithPassword(page, 'binh@sahakum.test');
	// Bình's profile says Vietnamese: signing in switches the page to it.
	await expectWelcomed(page, `Chào mừng bạn đến với ${CLUB_NAME}!`);
});

test('an invite code that can no longer be used is said on the sign-in page, and not carried on', async ({
	browser
}) => {
	const page = await phone(browser);
	await page.goto('/sign-in?invite=ZZZZZZZZ');
	await expect(page.getByRole('alert')).toHaveText(/Invite code ZZZZ ZZZZ:\s+This code does not exist/);
	// No invite carried (the page has no client code, so the server's relative link stays as rendered).
	await expect(page.getByRole('link', { name: 'Create account' })).toHaveAttribute('href', /^\.?\/sign-up$/);
	// Signing in there is an ordinary sign-in.
	await signInWithPassword(page, 'anna@sahakum.test');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Anna Berg');
	await page.getByRole('button', { name: 'Sign out' }).click();
	// Anything but a code's shape is not an invitation at all.
	await page.goto(`/sign-in?invite=${encodeURIComponent('<b>x</b>')}`);
	await expect(page.locator('.invite-notice')).toHaveCount(0);
});

test('a club member opens the space link again and lands in the space (vi; km through sign-in)', async ({
	browser
}) => {
	// Mai, a member of the Khai Quang club, taps the link her leader posted again.
	const mai = await signedIn(browser, 'mai@sahakum.test', { locale: 'vi' });
	await mai.goto('/join?code=KHAQUANG');
	await expect(mai).toHaveURL(new RegExp(`/spaces/${CLUB}\\?already=1$`));
	await expect(mai.locator('.space-title')).toHaveText(CLUB_NAME);
	await expect(
		mai.getByRole('status').filter({ hasText: vi.space_already_member.replace('{name}', CLUB_NAME) })
	).toBeVisible();
	await expect(mai.getByRole('alert')).toHaveCount(0);
	// Typed from the paper note on the join page: the same.
	await mai.goto('/join');
	await mai.getByLabel(vi.field_invite_code).fill('khaq-uang');
	await mai.getByRole('button', { name: vi.join_submit }).click();
	await expect(mai).toHaveURL(new RegExp(`/spaces/${CLUB}\\?already=1$`));
	await mai.screenshot({ path: test.info().outputPath('already-member-vi.png'), fullPage: true });

	// Dara, a member of CoP-Women, opens its link signed out; after signing in she is in it, in Khmer.
	const code = await newInviteCode(browser, 'sokha@sahakum.test', COP_WOMEN);
	const dara = await phone(browser, { locale: 'km' });
	await dara.goto(`/join?code=${code}`);
	await expect(dara).toHaveURL(new RegExp(`/sign-in\\?invite=${code}$`));
	await signInWithPassword(dara, 'dara@sahakum.test');
	await expect(dara).toHaveURL(new RegExp(`/spaces/${COP_WOMEN}\\?already=1$`));
	await expect(dara.locator('html')).toHaveAttribute('lang', 'km');
	await expect(
		dara.getByRole('status').filter({ hasText: km.space_already_member.replace('{name}', 'CoP-Women') })
	).toBeVisible();
	await dara.screenshot({ path: test.info().outputPath('already-member-km.png'), fullPage: true });
});

test('a code that no longer works says which, and what to do', async ({ browser }) => {
	const code = await newInviteCode(browser);
	const linh = await signedIn(browser, 'linh@sahakum.test', { locale: 'vi' });
	await linh.goto(`/spaces/${CLUB}/members`);
	await inviteCard(linh, code).getByRole('button', { name: vi.invite_revoke }).click();
	await expect(inviteCard(linh, code)).toHaveCount(0);

	// Someone who is no member of the club: the cancelled link says it was cancelled.
	const binh = await phone(browser);
	await signUp(binh, 'Ngô Văn Khách', uniqueEmail('stranger'));
	await binh.getByRole('button', { name: 'Tiếng Việt' }).click();
	await expect(binh.locator('html')).toHaveAttribute('lang', 'vi');
	await binh.goto(`/join?code=${code}`);
	await expect(binh.getByText(vi.invite_state_cancelled)).toBeVisible();
	await binh.goto('/join?code=ZZZZZZZZ');
	await expect(binh.getByText(vi.invite_state_unknown)).toBeVisible();
	await binh.getByLabel(vi.field_invite_code).fill(code.toLowerCase());
	await binh.getByRole('button', { name: vi.join_submit }).click();
	await expect(binh.getByText(vi.invite_state_cancelled)).toBeVisible();
	// Signed out, the sign-in page says the same.
	const out = await phone(browser, { locale: 'km' });
	await out.goto(`/join?code=${code}`);
	await expect(out.getByRole('alert')).toContainText(km.invite_state_cancelled);
});

test('a facilitator’s Share button hands the prepared message to the phone; Copy where it cannot share', async ({
	browser,
	baseURL
}) => {
	const origin = new URL(baseURL!).origin;
	// Linh reads the app in Khmer; her club's invitation goes out in Vietnamese, the club's language.
	const linh = await signedIn(browser, 'linh@sahakum.test', {
		locale: 'km',
		init: () => {
			const shared: unknown[] = [];
			Object.assign(window, { shared });
			Object.defineProperty(Navigator.prototype, 'share', {
				configurable: true,
				value: (data: unknown) => {
					shared.push(data);
					return Promise.resolve();
				}
			});
		}
	});
	await linh.goto(`/spaces/${CLUB}/members`);
	await linh.getByRole('button', { name: km.invite_create }).click();
	const code = (await linh.locator('.invite-code').first().getAttribute('aria-label'))!;
	const card = inviteCard(linh, code);
	await card.getByRole('button', { name: km.share_button }).click();
	await expect(card.getByRole('status')).toHaveText(km.share_done);
	expect(await linh.evaluate(() => (window as unknown as { shared: unknown[] }).shared)).toEqual([
		spaceMessage(vi, CLUB_NAME, origin, code)
	]);
	await card.locator('.qr summary').click();
	await expect(card.locator('.qr img')).toHaveJSProperty('complete', true);
	await linh.screenshot({ path: test.info().outputPath('members-share-km.png'), fullPage: true });

	// The QR code is an SVG drawn by the server, for those who may see the invite only.
	const qr = (await card.locator('.qr img').getAttribute('src'))!;
	const image = await linh.request.get(qr);
	expect(image.headers()['content-type']).toContain('image/svg+xml');
	expect(await image.text()).toMatch(/^<svg /);
	const mai = await signedIn(browser, 'mai@sahakum.test');
	expect((await mai.request.get(qr)).status()).toBe(404);
	expect((await (await phone(browser)).request.get(qr)).status()).toBe(404);

	// The printable page: in the club's language, QR code and code spelled out; without the app's header on paper.
	await card.getByRole('link', { name: km.invite_qr_print }).click();
	await expect(linh.locator('.sheet h1')).toHaveText(vi.share_space_what.replace('{name}', CLUB_NAME));
	await expect(linh.locator('.sheet')).toHaveAttribute('lang', 'vi');
	await expect(linh.locator('.sheet .spelled')).toHaveText(spelled(code));
	await expect(linh.locator('.sheet img')).toHaveJSProperty('complete', true);
	expect(
		await linh.locator('.sheet img').evaluate((img: HTMLImageElement) => img.naturalWidth)
	).toBeGreaterThan(0);
	await linh.screenshot({ path: test.info().outputPath('invite-sheet.png'), fullPage: true });
	await linh.emulateMedia({ media: 'print' });
	await expect(linh.locator('.space-header')).toBeHidden();
	await expect(linh.locator('.app-header')).toBeHidden();
	await expect(linh.locator('.sheet img')).toBeVisible();

	// Sokha, in Vietnamese, on a phone that cannot share: Copy puts the Khmer invitation on the clipboard.
	const sokha = await signedIn(browser, 'sokha@sahakum.test', {
		locale: 'vi',
		init: () => Object.defineProperty(Navigator.prototype, 'share', { configurable: true, value: undefined })
	});
	await sokha.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
	await sokha.goto(`/spaces/${COP_WOMEN}/members`);
	await sokha.getByRole('button', { name: vi.invite_create }).click();
	const kmCode = (await sokha.locator('.invite-code').first().getAttribute('aria-label'))!;
	const kmCard = inviteCard(sokha, kmCode);
	await expect(kmCard.getByRole('button', { name: vi.share_button })).toHaveCount(0);
	await kmCard.getByRole('button', { name: vi.share_copy }).click();
	await expect(kmCard.getByRole('status')).toHaveText(vi.share_copied);
	expect(await sokha.evaluate(() => navigator.clipboard.readText())).toBe(
		spaceMessage(km, 'CoP-Women', origin, kmCode).text
	);
	await sokha.screenshot({ path: test.info().outputPath('members-copy-vi.png'), fullPage: true });

	// A phone that refuses both: a translated word, and the message shown, selected, to copy by hand.
	const refused = await signedIn(browser, 'sokha@sahakum.test', {
		locale: 'km',
		init: () => {
			const no = () => Promise.reject(new DOMException('refused', 'NotAllowedError'));
			Object.defineProperty(Navigator.prototype, 'share', { configurable: true, value: no });
			Object.defineProperty(Navigator.prototype, 'clipboard', {
				configurable: true,
				value: { writeText: no }
			});
		}
	});
	await refused.goto(`/spaces/${COP_WOMEN}/members`);
	const refusedCard = inviteCard(refused, kmCode);
	await refusedCard.getByRole('button', { name: km.share_button }).click();
	await expect(refusedCard.getByRole('alert')).toHaveText(km.share_failed);
	await expect(refusedCard.locator('.share-text')).toBeVisible();
	await expect(refusedCard.locator('.share-text')).toHaveText(
		spaceMessage(km, 'CoP-Women', origin, kmCode).text
	);
	expect(await refused.evaluate(() => window.getSelection()?.toString() ?? '')).toContain(
		`/join?code=${kmCode}`
	);
});
