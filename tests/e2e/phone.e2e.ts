// Phone sign-up and sign-in (issue 22, part 1) on a 360 px phone in
// Vietnamese: the number typed the way people write it, the code read from the
// local stack's SMS inbox (as a person reads their SMS), typed with a space.
import { readFileSync } from 'node:fs';
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

// Issue 22: a landlord invited to a dialogue has no account and no email he
// reads. From the link, in Vietnamese at 360 px, he is told at every step which
// dialogue invited him, signs up with his phone number, and lands on the guest
// form, then in the dialogue with his badge on what he writes.
test('a new landlord signs up by phone from a dialogue link and lands in the dialogue with his badge', async ({
	page,
	context
}) => {
	const vi = JSON.parse(readFileSync('messages/vi.json', 'utf8')) as Record<string, string>;
	await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'vi', url: process.env.E2E_BASE_URL! }]);
	const { written, e164 } = newNumber();
	const invited = vi.invite_notice_dialogue
		.replace('{title}', 'Đối thoại với chủ nhà trọ phường Khai Quang')
		.replace('{space}', 'CLB Phụ nữ Khai Quang — Vĩnh Phúc');

	// The seeded dialogue's code (NHATRA26), as a link shared on Zalo.
	await page.goto('/dialogues/join?code=NHATRA26');
	await expect(page).toHaveURL(/\/sign-up\?invite=NHATRA26$/);
	await expect(page.getByText(invited)).toBeVisible();
	await page.getByRole('link', { name: vi.auth_way_phone }).click();
	await expect(page).toHaveURL(/\/sign-up\/phone\?invite=NHATRA26$/);
	await expect(page.getByText(invited)).toBeVisible();
	await page.getByLabel(vi.field_display_name).fill('Trịnh Văn Trọ');
	await page.getByLabel(vi.field_phone_number, { exact: true }).fill(written);
	await page.getByRole('button', { name: vi.sign_up_submit }).click();

	await expect(page).toHaveURL(/\/verify\?type=sms.*invite=NHATRA26/);
	await expect(page.getByText(invited)).toBeVisible();
	const { code } = await readCodeFromSms(page, e164);
	await page.getByLabel(vi.field_code).fill(code);
	await page.getByRole('button', { name: vi.verify_submit }).click();

	// The guest form of that dialogue, never a generic page.
	await expect(page).toHaveURL(/\/dialogues\/join\?code=NHATRA26$/);
	await page.getByLabel(vi.dialogue_field_stakeholder).selectOption({ label: vi.stakeholder_landlord });
	await page.getByLabel(vi.dialogue_field_organisation).fill('Khu trọ Hoà Bình');
	await page.getByRole('button', { name: vi.dialogue_join_submit }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Đối thoại với chủ nhà trọ phường Khai Quang'
	);
	await page.locator('form.reply-form textarea[name=body]').fill('Tôi đồng ý gặp các chị vào tối thứ Bảy.');
	await page.locator('form.reply-form button[type=submit]').click();
	const mine = page.locator('.post', { hasText: 'Tôi đồng ý gặp các chị vào tối thứ Bảy.' });
	await expect(mine.locator('.badge-guest')).toContainText(vi.stakeholder_landlord);
	await expect(mine.locator('.badge-guest')).toContainText('Khu trọ Hoà Bình');
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});

// Issue 26: an account that signs in by phone only has no password to confirm
// its deletion with: a code sent by SMS to its own number confirms it is her.
test('a phone-only account is deleted after a code sent to its phone, in Khmer', async ({
	page,
	context
}) => {
	test.setTimeout(150_000);
	const km = JSON.parse(readFileSync('messages/km.json', 'utf8')) as Record<string, string>;
	await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'km', url: process.env.E2E_BASE_URL! }]);
	const { e164 } = newNumber();
	await page.goto('/sign-up/phone');
	await page.getByLabel(km.field_display_name).fill('ស្រី ពៅ');
	await page.getByLabel(km.field_country).selectOption('84');
	await page.getByLabel(km.field_phone_number, { exact: true }).fill(e164);
	await page.getByRole('button', { name: km.sign_up_submit }).click();
	await expect(page).toHaveURL(/\/verify\?type=sms/);
	const signUpCodeSentAt = Date.now();
	await page.getByLabel(km.field_code).fill((await readCodeFromSms(page, e164)).code);
	await page.getByRole('button', { name: km.verify_submit }).click();
	await expect(page).not.toHaveURL(/verify/);

	await page.goto('/account/delete');
	const shown = e164;
	await expect(page.getByText(km.account_delete_code_intro.replace('{phone}', shown))).toBeVisible();
	await expect(page.getByLabel(km.account_delete_password)).toHaveCount(0);
	await page.getByLabel(km.account_delete_posts_delete).check();
	// Supabase Auth sends one code a minute to a number (the local stack as well): she
	// signed up a moment ago, so this test waits out that minute first.
	await page.waitForTimeout(Math.max(0, signUpCodeSentAt + 61_000 - Date.now()));
	await page.getByRole('button', { name: km.account_delete_send_code }).click();
	await expect(page.getByText(km.account_delete_code_sent.replace('{phone}', shown))).toBeVisible();
	// The choice made before asking for the code is still made.
	await expect(page.getByLabel(km.account_delete_posts_delete)).toBeChecked();

	// A wrong code deletes nothing and says so; the right one (typed in Khmer digits) does.
	// A finger-sized box for the code.
	expect((await page.getByLabel(km.account_delete_code).boundingBox())!.height).toBeGreaterThanOrEqual(44);
	await page.getByLabel(km.account_delete_code).fill('000000');
	await page.getByLabel(km.account_delete_understood).check();
	await page.getByRole('button', { name: km.account_delete_submit }).click();
	await expect(page.getByText(km.error_code_invalid_sms)).toBeVisible();
	const { code } = await readCodeFromSms(page, e164);
	const khmerDigits = [...code].map((d) => '០១២៣៤៥៦៧៨៩'[Number(d)]).join('');
	await page.getByLabel(km.account_delete_code).fill(khmerDigits);
	await page.getByLabel(km.account_delete_understood).check();
	await page.getByRole('button', { name: km.account_delete_submit }).click();
	// The phone is cleared as at sign-out, and the page says the account is gone.
	await expect(page).toHaveURL(/\/account-deleted\?cleared=1$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(km.account_deleted_title);

	// Signed out everywhere: the account's pages now ask to sign in.
	await page.goto('/account');
	await expect(page).toHaveURL(/\/sign-in/);
});
