import { expect, test } from './test';
import { readCodeFromMailbox, signUp, uniqueEmail } from './helpers';

test('sign up with the emailed code, sign in, switch to Khmer, sign out', async ({ page }) => {
	const email = uniqueEmail('hoa');
	await signUp(page, 'Hoa', email);

	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page.getByRole('status')).toHaveText('You are signed out.');

	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill('long enough password');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Hoa');

	await page.getByRole('button', { name: 'ខ្មែរ' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'km');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('សួស្ដី Hoa');
	await expect(page.getByRole('link', { name: 'ប្រវត្តិរូបរបស់ខ្ញុំ' })).toBeVisible();

	await page.getByRole('button', { name: 'ចាកចេញ' }).click();
	await expect(page.getByRole('status')).toHaveText('អ្នកបានចាកចេញហើយ។');
	// The language stays with the person after signing out and back in (profile + cookie).
	await page.getByLabel('អ៊ីមែល').fill(email);
	await page.getByLabel('ពាក្យសម្ងាត់').fill('long enough password');
	await page.getByRole('button', { name: 'ចូលគណនី' }).last().click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('សួស្ដី Hoa');
});

test('bad input gets a clear message and keeps what was typed', async ({ page }) => {
	await page.goto('/sign-in');
	await page.getByLabel('Email').fill('nobody@example.org');
	await page.getByLabel('Password').fill('wrong password');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('alert')).toHaveText(
		'Email or password is not right. Try again, or sign in with a code.'
	);
	await expect(page.getByLabel('Email')).toHaveValue('nobody@example.org');

	await page.goto('/sign-up');
	await page.getByLabel('Your name').fill('Mai');
	await page.getByLabel('Email').fill('linh@sahakum.test');
	await page.getByLabel('Password').fill('short');
	// The browser's own minlength check would stop the form; test the server's answer too.
	await page.locator('main form').evaluate((form) => form.setAttribute('novalidate', ''));
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByText('The password needs at least 8 characters.')).toBeVisible();
	await expect(page.getByLabel('Your name')).toHaveValue('Mai');

	// An address that has an account gets the same page as a new one (nobody learns who is here).
	await page.getByLabel('Password').fill('long enough password');
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page).toHaveURL(/\/verify\?type=signup&email=linh%40sahakum\.test/);
	await expect(page.getByText('If linh@sahakum.test is new here, we sent it a 6-digit code')).toBeVisible();
});

test('a wrong code is refused; a password-less code sign-in works', async ({ page }) => {
	await page.goto('/sign-in/code');
	await page.getByLabel('Email').fill('mai@sahakum.test');
	await page.getByRole('button', { name: 'Email me a code' }).click();
	await expect(page).toHaveURL(/\/verify\?type=email/);
	await page.getByLabel('Code').fill('000000');
	await page.getByRole('button', { name: 'Confirm' }).click();
	await expect(page.getByText('This code is wrong or has expired.', { exact: false })).toBeVisible();

	const code = await readCodeFromMailbox(page, 'mai@sahakum.test');
	await page.getByLabel('Code').fill(code);
	await page.getByRole('button', { name: 'Confirm' }).click();
	// Mai's profile language is Vietnamese: the app follows it after sign-in.
	await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xin chào, Lê Thị Mai');
});

test('password reset with an emailed code', async ({ page }) => {
	const email = uniqueEmail('reset');
	await signUp(page, 'Reset Person', email);
	await page.getByRole('button', { name: 'Sign out' }).click();
	await page.getByRole('link', { name: 'Forgot your password?' }).click();
	await page.getByLabel('Email').fill(email);
	await page.getByRole('button', { name: 'Email me a code' }).click();
	await expect(page).toHaveURL(/\/reset-password\/confirm/);
	await page.getByLabel('Code').fill(await readCodeFromMailbox(page, email));
	await page.getByLabel('New password').fill('a brand new password');
	await page.getByRole('button', { name: 'Save new password' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Reset Person');

	await page.getByRole('button', { name: 'Sign out' }).click();
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill('a brand new password');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Reset Person');
});

test('a new name saved in the profile is the one the pages greet her with at once, with and without scripts', async ({
	page,
	browser
}) => {
	const email = uniqueEmail('rename');
	await signUp(page, 'Lan', email);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Lan');
	// The header's name comes with the auth user, which the server remembers for a few seconds: saving forgets it.
	await page.goto('/profile');
	await page.locator('input[name=display_name]').fill('Chị Lan');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(page.getByText('Saved.')).toBeVisible();
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Chị Lan');

	// The same with JavaScript off: the form posts, the answer is rendered with the new user.
	const context = await browser.newContext({ javaScriptEnabled: false });
	const plain = await context.newPage();
	await plain.goto('/sign-in');
	await plain.getByLabel('Email').fill(email);
	await plain.getByLabel('Password').fill('long enough password');
	await plain.getByRole('button', { name: 'Sign in' }).click();
	await expect(plain.getByRole('heading', { level: 1 })).toHaveText('Hello, Chị Lan');
	await plain.goto('/profile');
	await plain.locator('input[name=display_name]').fill('Lan (CDI)');
	await plain.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(plain.getByText('Saved.')).toBeVisible();
	await plain.goto('/');
	await expect(plain.getByRole('heading', { level: 1 })).toHaveText('Hello, Lan (CDI)');
	await context.close();
});
