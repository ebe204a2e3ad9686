// Live updates in two browsers: replies appear without reload, presence and
// typing show, and a reader who goes offline gets what was posted meanwhile,
// once each, when the network is back. Hoa and Mai (seed) write in Vietnamese.
import { expect, test, untilQuiet, type Browser, type BrowserContext, type Page } from './test';

const SPACE = '10000000-0000-4000-a000-000000000001';
const THREAD = '20000000-0000-4000-a000-000000000001';
const threadPath = `/spaces/${SPACE}/threads/${THREAD}`;

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
	await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function signedIn(browser: Browser, email: string): Promise<{ page: Page; context: BrowserContext }> {
	const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
	contexts.push(context);
	const page = await context.newPage();
	await page.goto('/sign-in');
	await page.locator('input[name=email]').fill(email);
	await page.locator('input[name=password]').fill('sahakum-demo');
	await page.locator('main form button[type=submit]').click();
	await expect(page).not.toHaveURL(/sign-in/);
	return { page, context };
}

/** Marks the page so a reload (which would clear the mark) can be told apart from a live update. */
const markPage = (page: Page) => page.evaluate(() => ((window as { liveMark?: number }).liveMark = 1));
const stillSamePage = (page: Page) => page.evaluate(() => (window as { liveMark?: number }).liveMark === 1);

async function reply(page: Page, text: string) {
	await page.locator('form.reply-form textarea[name=body]').fill(text);
	await page.locator('form.reply-form button[type=submit]').click();
	await expect(page.locator('form.reply-form textarea[name=body]')).toHaveValue('');
}

test('a reply appears live in another browser; one that was offline gets the missed replies once each', async ({
	browser
}) => {
	const hoa = await signedIn(browser, 'hoa@sahakum.test');
	const mai = await signedIn(browser, 'mai@sahakum.test');
	await hoa.page.goto(threadPath);
	await mai.page.goto(threadPath);
	await markPage(hoa.page);

	// Presence: both are here (the seed's people use Vietnamese).
	await expect(hoa.page.getByText('2 người đang xem')).toBeVisible();
	await expect(mai.page.getByText('2 người đang xem')).toBeVisible();

	// Typing notice, then the reply itself, without reload.
	await mai.page.locator('form.reply-form textarea[name=body]').pressSequentially('Em ');
	await expect(hoa.page.getByText('Lê Thị Mai đang viết trả lời…')).toBeVisible();
	await reply(mai.page, 'Em sẽ mang hợp đồng lao động đến buổi họp.');
	await expect(hoa.page.locator('.post', { hasText: 'mang hợp đồng lao động' })).toHaveCount(1);
	await expect(hoa.page.getByText('Lê Thị Mai đang viết trả lời…')).toBeHidden();
	expect(await stillSamePage(hoa.page)).toBe(true);

	// Hoa's phone loses the network; Mai posts twice meanwhile.
	await untilQuiet(hoa.page);
	await hoa.context.setOffline(true);
	await reply(mai.page, 'Tin nhắn thứ nhất khi chị mất mạng.');
	await reply(mai.page, 'Tin nhắn thứ hai khi chị mất mạng.');
	await hoa.page.waitForTimeout(1_500);
	await expect(hoa.page.locator('.post', { hasText: 'khi chị mất mạng' })).toHaveCount(0);

	// Back online: both appear, once each, still without reload.
	await hoa.context.setOffline(false);
	await expect(hoa.page.locator('.post', { hasText: 'Tin nhắn thứ nhất' })).toHaveCount(1);
	await expect(hoa.page.locator('.post', { hasText: 'Tin nhắn thứ hai' })).toHaveCount(1);
	expect(await stillSamePage(hoa.page)).toBe(true);

	// And live again afterwards.
	await reply(mai.page, 'Chị đã thấy chưa?');
	await expect(hoa.page.locator('.post', { hasText: 'Chị đã thấy chưa?' })).toHaveCount(1);
	await expect(hoa.page.locator('.post', { hasText: 'mang hợp đồng lao động' })).toHaveCount(1);
});

test('a new thread appears live at the top of the space’s list, under the pinned one', async ({
	browser
}) => {
	const hoa = await signedIn(browser, 'hoa@sahakum.test');
	const mai = await signedIn(browser, 'mai@sahakum.test');
	await hoa.page.goto(`/spaces/${SPACE}`);
	await markPage(hoa.page);
	await mai.page.goto(`/spaces/${SPACE}/threads/new`);
	await mai.page.locator('input[name=title]').fill('Lịch khám sức khỏe tháng 12');
	await mai.page.locator('textarea[name=body]').fill('Trạm y tế phường khám miễn phí vào thứ bảy.');
	await mai.page.locator('main form button[type=submit]').click();
	await expect(mai.page.getByRole('heading', { level: 1 })).toHaveText('Lịch khám sức khỏe tháng 12');

	// Right under the pinned thread of the seed.
	await expect(hoa.page.locator('.thread-item').nth(1)).toContainText('Lịch khám sức khỏe tháng 12');
	expect(await stillSamePage(hoa.page)).toBe(true);
});

test('the unread count on “my spaces” goes up live when a new thread is started', async ({ browser }) => {
	const hoa = await signedIn(browser, 'hoa@sahakum.test');
	const mai = await signedIn(browser, 'mai@sahakum.test');
	await hoa.page.goto('/');
	await markPage(hoa.page);
	const club = hoa.page.locator('.space-card', { hasText: 'Khai Quang' });
	const badge = club.locator('.badge');
	const before = (await badge.count()) ? Number((await badge.textContent())?.match(/\d+/)?.[0]) : 0;

	await mai.page.goto(`/spaces/${SPACE}/threads/new`);
	await mai.page.locator('input[name=title]').fill('Ai đi tập huấn an toàn lao động?');
	await mai.page.locator('textarea[name=body]').fill('Thứ năm tuần sau ở nhà văn hoá.');
	await mai.page.locator('main form button[type=submit]').click();
	await expect(mai.page.getByRole('heading', { level: 1 })).toHaveText('Ai đi tập huấn an toàn lao động?');

	await expect(badge).toHaveText(`${before + 1} mới`);
	expect(await stillSamePage(hoa.page)).toBe(true);
});

test('a live refresh cut off by the network leaves the page as it is: no reload, the half-typed reply still in focus', async ({
	browser
}) => {
	const hoa = await signedIn(browser, 'hoa@sahakum.test');
	await hoa.page.goto(threadPath);
	await untilQuiet(hoa.page);
	await hoa.page.locator('form.reply-form textarea[name=body]').pressSequentially('Chị đang viết dở');
	await markPage(hoa.page);

	// The network goes exactly while the page refreshes itself (the phone says it
	// is back online, the live code refetches, and the line drops again).
	let refreshCut = false;
	await hoa.page.route('**/__data.json*', async (route) => {
		refreshCut = true;
		await hoa.context.setOffline(true);
		await route.abort('internetdisconnected');
	});
	await hoa.page.evaluate(() => dispatchEvent(new Event('online')));
	await expect.poll(() => refreshCut).toBe(true);
	await hoa.page.waitForTimeout(1_000);
	expect(await stillSamePage(hoa.page)).toBe(true);
	await expect(hoa.page.locator('form.reply-form textarea[name=body]')).toBeFocused();
	await expect(hoa.page.locator('form.reply-form textarea[name=body]')).toHaveValue('Chị đang viết dở');
	await expect(hoa.page.locator('.post').first()).toBeVisible();

	// The network is back: the next refresh goes through, still without a reload.
	await hoa.page.unroute('**/__data.json*');
	await hoa.context.setOffline(false);
	const refreshed = hoa.page.waitForResponse((r) => r.url().includes('__data.json') && r.ok());
	await hoa.page.evaluate(() => dispatchEvent(new Event('online')));
	await refreshed;
	expect(await stillSamePage(hoa.page)).toBe(true);
});
