// Phone sign-up and sign-in (issue 22, part 1) on a 360 px phone in
// Vietnamese: the number typed the way people write it, the code read from the
// local stack's SMS inbox (as a person reads their SMS), typed with a space.
import { expect, test } from './test';
import { stackUrl } from './helpers';

let serial = 0;
/** A fresh Vietnamese mobile number as people write it, and its E.164 form. */
function newNumber() {
	const digits = `9${String(Date.now() % 100000).padStart(5, '0')}${String(++serial).padStart(3, '0')}`;
	return { written: `0${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`, e164: `+84${digits}` };
}

async function readCodeFromSms(page: import('@playwright/test').Page, e164: string) {
	const inbox = await page.context().newPage();
	await inbox.goto(`${stackUrl()}/sms?to=${encodeURIComponent(e164)}`);
	const code = (await inbox.locator('article output').first().textContent())?.trim() ?? '';
	const text = await inbox.locator('article p[lang]').first().textContent();
	await inbox.close();
	expect(code).toMatch(/^\d{6}$/);
	return { code, text };
}

test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

test('sign up and sign in with a phone number, in Vietnamese, at 360 px', async ({ page, context }) => {
	await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'vi', url: process.env.E2E_BASE_URL! }]);
	const { written, e164 } = newNumber();

	await page.goto('/sign-up');
	await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
	// Email or phone, side by side: a clear switch at the top.
	const switcher = page.getByRole('navigation', { name: 'Tạo tài khoản bằng' });
	await expect(switcher.getByRole('link', { name: 'Email' })).toHaveAttribute('aria-current', 'page');
	await switcher.getByRole('link', { name: 'Số điện thoại' }).click();
	await expect(page).toHaveURL(/\/sign-up\/phone/);

	// The country comes from the language; targets are at least 44 px, text 16 px.
	await expect(page.getByLabel('Quốc gia')).toHaveValue('84');
	for (const target of [
		switcher.getByRole('link', { name: 'Email' }),
		page.getByLabel('Quốc gia'),
		page.getByLabel('Số điện thoại', { exact: true }),
		page.getByRole('button', { name: 'Tạo tài khoản' })
	]) {
		const box = (await target.boundingBox())!;
		expect(box.height).toBeGreaterThanOrEqual(44);
		expect(box.x + box.width).toBeLessThanOrEqual(360);
	}
	const fontSize = await page
		.getByLabel('Số điện thoại', { exact: true })
		.evaluate((el) => getComputedStyle(el).fontSize);
	expect(parseFloat(fontSize)).toBeGreaterThanOrEqual(16);
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

	// A number too short for Vietnam: a clear message, what was typed kept.
	await page.getByLabel('Tên của bạn').fill('Phạm Thị Thu');
	await page.getByLabel('Số điện thoại', { exact: true }).fill('012 345 678');
	await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
	await expect(page.getByText('Số này quá ngắn đối với Việt Nam (+84).', { exact: false })).toBeVisible();
	await expect(page.getByLabel('Tên của bạn')).toHaveValue('Phạm Thị Thu');

	await page.getByLabel('Số điện thoại', { exact: true }).fill(written);
	await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
	await expect(page).toHaveURL(/\/verify\?type=sms/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xem tin nhắn của bạn');
	const { code, text } = await readCodeFromSms(page, e164);
	// The SMS is short and in the person's language.
	expect(text).toBe(`Mã Sahakum: ${code}. Không đưa mã này cho ai.`);
	await page.getByLabel('Mã').fill(`${code.slice(0, 3)} ${code.slice(3)}`);
	await page.getByRole('button', { name: 'Xác nhận' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xin chào, Phạm Thị Thu');
});

test('sign in with a phone number: Mai, a demo member, at 360 px', async ({ page, context }) => {
	await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'vi', url: process.env.E2E_BASE_URL! }]);
	await page.goto('/sign-in');
	await page
		.getByRole('navigation', { name: 'Đăng nhập bằng' })
		.getByRole('link', { name: 'Số điện thoại' })
		.click();
	await expect(page).toHaveURL(/\/sign-in\/phone/);
	// Written with the country code, dots and the trunk 0 people keep after it.
	await page.getByLabel('Số điện thoại', { exact: true }).fill('+84 (0)912.345.678');
	await page.getByRole('button', { name: 'Gửi mã cho tôi' }).click();
	await expect(page).toHaveURL(/\/verify\?type=sms&phone=%2B84912345678/);
	await page.getByLabel('Mã').fill('000000');
	await page.getByRole('button', { name: 'Xác nhận' }).click();
	await expect(page.getByText('Mã không đúng hoặc đã hết hạn.', { exact: false })).toBeVisible();
	const { code } = await readCodeFromSms(page, '+84912345678');
	await page.getByLabel('Mã').fill(code);
	await page.getByRole('button', { name: 'Xác nhận' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xin chào, Lê Thị Mai');
});
