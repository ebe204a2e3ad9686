// Auth emails in the person's language, code first, with a link that works:
// it opens the app's code page with the address and code filled in, and the
// person presses the button (a link checker opening the email uses nothing up).
import { expect, test, type Page } from './test';
import { stackUrl, uniqueEmail } from './helpers';

const CLUB = '10000000-0000-4000-a000-000000000001';

/** The newest email to `email` in the local stack's mailbox. */
async function newestEmail(page: Page, email: string) {
	const response = await page.request.get(
		`${stackUrl()}/mailbox/messages.json?to=${encodeURIComponent(email)}`
	);
	const [message] = (await response.json()) as { subject: string; text: string; code: string }[];
	const link = message.text.match(/https?:\/\/\S+/)?.[0] ?? '';
	return { ...message, link };
}

test('a Khmer sign-up email is in Khmer, and its link confirms the account and finishes the invitation', async ({
	page
}) => {
	await page.goto('/sign-in?invite=KHAQUANG');
	await page.getByRole('button', { name: 'ខ្មែរ' }).click();
	await page.getByRole('link', { name: 'បង្កើតគណនី' }).click();
	await expect(page).toHaveURL(/\/sign-up\?invite=KHAQUANG$/);
	const email = uniqueEmail('khmer');
	await page.getByLabel('ឈ្មោះរបស់អ្នក').fill('សុខ ស្រីមុំ');
	await page.getByLabel('អ៊ីមែល').fill(email);
	await page.getByLabel('ពាក្យសម្ងាត់').fill('long enough password');
	await page.locator('main form button[type=submit]').click();
	await expect(page).toHaveURL(/\/verify\?type=signup/);

	const message = await newestEmail(page, email);
	expect(message.subject).toBe('លេខកូដ Sahakum របស់អ្នក');
	expect(message.text).toContain('លេខកូដដើម្បីបញ្ជាក់គណនីរបស់អ្នក៖');
	expect(message.text.indexOf(message.code)).toBeLessThan(message.text.indexOf(message.link));
	// The link, opened in the same browser (as a phone's mail app does): the code is filled in.
	await page.goto(message.link);
	await expect(page.locator('input[name=code]')).toHaveValue(message.code);
	await page.getByRole('button', { name: 'បញ្ជាក់' }).click();
	// Signed up through an invitation: the link finishes the join too.
	await expect(page).toHaveURL(new RegExp(`/spaces/${CLUB}\\?welcome=1$`));
	await expect(page.getByText('សូមស្វាគមន៍មកកាន់ CLB Phụ nữ Khai Quang — Vĩnh Phúc!')).toBeVisible();
});

test('a Vietnamese account’s sign-in code email is in Vietnamese and its link signs in', async ({ page }) => {
	await page.goto('/sign-in/code');
	await page.locator('input[name=email]').fill('hoa@sahakum.test');
	await page.locator('main form button[type=submit]').click();
	await expect(page).toHaveURL(/\/verify\?type=email/);
	const message = await newestEmail(page, 'hoa@sahakum.test');
	expect(message.subject).toBe('Mã đăng nhập Sahakum');
	expect(message.text).toContain('Mã để đăng nhập:');
	await page.goto(message.link);
	await expect(page.locator('input[name=code]')).toHaveValue(message.code);
	await page.locator('main form button[type=submit]').first().click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xin chào, Trần Thị Hoa');
});

test('changing the profile’s language changes the language of the next email', async ({ page }) => {
	const email = uniqueEmail('lang');
	await page.goto('/sign-up');
	await page.getByLabel('Your name').fill('Anna Lang');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill('long enough password');
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page).toHaveURL(/\/verify\?type=signup/);
	expect((await newestEmail(page, email)).subject).toBe('Your Sahakum code');
	await page.goto((await newestEmail(page, email)).link);
	await page.getByRole('button', { name: 'Confirm' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Anna Lang');
	await page.getByRole('button', { name: 'Tiếng Việt' }).click();
	await page.getByRole('button', { name: 'Đăng xuất' }).click();
	await page.goto('/reset-password');
	await page.locator('input[name=email]').fill(email);
	await page.locator('main form button[type=submit]').click();
	await expect(page).toHaveURL(/\/reset-password\/confirm/);
	const reset = await newestEmail(page, email);
	expect(reset.subject).toBe('Đặt lại mật khẩu Sahakum');
	await page.goto(reset.link);
	await expect(page.locator('input[name=code]')).toHaveValue(reset.code);
	await expect(page.locator('input[name=email]')).toHaveValue(email);
});
