// An invite link sent over Zalo, opened on a phone that is signed out: the
// invitation survives sign-up, code verification and sign-in (by emailed code
// or password, with or without JavaScript), and the person lands in the space,
// welcomed by its name.
import { expect, test, type Browser, type BrowserContext, type Page } from './test';
import { readCodeFromMailbox, signUp, uniqueEmail } from './helpers';

const CLUB = '10000000-0000-4000-a000-000000000001';
const CLUB_NAME = 'CLB Phụ nữ Khai Quang — Vĩnh Phúc';
const INVITED = `You are invited to join ${CLUB_NAME} (Women’s club).`;

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
	await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function phone(browser: Browser, options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
	const context = await browser.newContext({
		viewport: { width: 360, height: 740 },
		isMobile: true,
		hasTouch: true,
		...options
	});
	contexts.push(context);
	return context.newPage();
}

async function signInWithPassword(page: Page, email: string, password = 'sahakum-demo') {
	await page.locator('input[name=email]').fill(email);
	await page.locator('input[name=password]').fill(password);
	await page.locator('main form button[type=submit]').click();
}

/** Linh, the club's facilitator, makes a fresh invite code on the Members page. */
async function newInviteCode(browser: Browser): Promise<string> {
	const page = await phone(browser);
	await page.goto('/sign-in');
	await signInWithPassword(page, 'linh@sahakum.test');
	await expect(page).not.toHaveURL(/sign-in/);
	await page.goto(`/spaces/${CLUB}/members`);
	await page.locator('form[action="?/invite"] button[type=submit]').click();
	const code = await page.locator('.invite-code').first().getAttribute('aria-label');
	expect(code).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
	await page.context().close();
	return code!;
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
	await expect(page.getByRole('alert')).toHaveText(/The invite code ZZZZ ZZZZ can no longer be used/);
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
