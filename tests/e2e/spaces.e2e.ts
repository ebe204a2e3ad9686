import { expect, test, type Browser, type BrowserContext, type Page } from './test';
import { signUp, uniqueEmail } from './helpers';

// Each person has their own browser context (their own cookies); closed after each test.
const contexts: BrowserContext[] = [];
test.afterEach(async () => {
	await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function personPage(browser: Browser, options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
	const context = await browser.newContext({ viewport: { width: 360, height: 740 }, ...options });
	contexts.push(context);
	return context.newPage();
}

async function signIn(page: Page, email: string) {
	await page.goto('/sign-in');
	await page.getByLabel(/Email|អ៊ីមែល/).fill(email);
	await page.locator('input[name=password]').fill('sahakum-demo');
	await page.locator('main form button[type=submit]').click();
	await expect(page).not.toHaveURL(/sign-in/);
}

test('a facilitator opens a space and invites; a newcomer joins by code and posts; replies and unread markers', async ({
	browser
}) => {
	const facilitator = await personPage(browser);
	await signUp(facilitator, 'Linh Facilitator', uniqueEmail('fac'));
	await facilitator.getByRole('link', { name: 'Start a space' }).click();
	await facilitator.getByLabel('Women’s club').check();
	await facilitator.getByLabel('Name').fill('CLB Phụ nữ Bình Xuyên');
	await facilitator.getByLabel('Objective').fill('Cùng học về quyền lao động và sức khoẻ.');
	await facilitator.getByRole('button', { name: 'Create space' }).click();
	await expect(facilitator.locator('.space-title')).toHaveText('CLB Phụ nữ Bình Xuyên');
	await expect(facilitator.getByText('No discussions yet.', { exact: false })).toBeVisible();

	await facilitator.getByRole('link', { name: 'Members' }).click();
	await facilitator.getByRole('button', { name: 'Create invite code' }).click();
	const code = (await facilitator.locator('.invite-code').first().getAttribute('aria-label'))!;
	expect(code).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);

	const newcomer = await personPage(browser);
	await signUp(newcomer, 'Thu Newcomer', uniqueEmail('new'));
	await newcomer.getByRole('link', { name: 'Join with a code' }).click();
	// Typed from a paper note: lower case, with a space.
	await newcomer
		.getByLabel('Invite code')
		.fill(`${code.slice(0, 4).toLowerCase()} ${code.slice(4).toLowerCase()}`);
	await newcomer.getByRole('button', { name: 'Join' }).click();
	await expect(newcomer.locator('.space-title')).toHaveText('CLB Phụ nữ Bình Xuyên');

	// Opening the link again (leaders post it again and again) just lands in the space, gently.
	await newcomer.goto(`/join?code=${code}`);
	await expect(newcomer.locator('.space-title')).toHaveText('CLB Phụ nữ Bình Xuyên');
	await expect(
		newcomer.getByRole('status').filter({ hasText: 'You are already a member of CLB Phụ nữ Bình Xuyên' })
	).toBeVisible();

	await newcomer.goto('/');
	await newcomer.getByRole('link', { name: /CLB Phụ nữ Bình Xuyên/ }).click();
	await newcomer.getByRole('link', { name: 'Start a discussion' }).click();
	await newcomer.getByLabel('Title').fill('Hỏi về hợp đồng lao động');
	await newcomer.getByLabel('Topic').selectOption('labour_law');
	await newcomer
		.getByLabel('Message')
		.fill('Công ty chưa ký hợp đồng với em sau 2 tháng thử việc. Em nên làm gì?');
	await newcomer.getByRole('button', { name: 'Post' }).click();
	await expect(newcomer.getByRole('heading', { level: 1 })).toHaveText('Hỏi về hợp đồng lao động');
	const threadUrl = newcomer.url();
	// Away from the thread: had it stayed open, the reply would arrive live, on screen, and count as read.
	await newcomer.goto('/profile');

	await facilitator.goto('/');
	await expect(
		facilitator.locator('.space-card', { hasText: 'CLB Phụ nữ Bình Xuyên' }).locator('.badge')
	).toHaveText('1 new');
	await facilitator.getByRole('link', { name: /CLB Phụ nữ Bình Xuyên/ }).click();
	await facilitator.getByRole('link', { name: /Hỏi về hợp đồng lao động/ }).click();
	await facilitator
		.getByLabel('Your reply')
		.fill('@Thu Newcomer em mang giấy tờ đến buổi họp nhé, có luật sư tư vấn.');
	await facilitator.getByRole('button', { name: 'Reply' }).click();
	await expect(facilitator.locator('.post').last()).toContainText('có luật sư tư vấn');
	await expect(facilitator.getByLabel('Your reply')).toHaveValue('');

	// The newcomer sees the new reply marked as unread, reads it, and the marker clears.
	await newcomer.goto(threadUrl.replace(/\/threads\/.*$/, ''));
	const item = newcomer.locator('.thread-item', { hasText: 'Hỏi về hợp đồng lao động' });
	await expect(item.locator('.badge')).toHaveText('New');
	await item.getByRole('link').click();
	await expect(newcomer.locator('.post').last()).toContainText('có luật sư tư vấn');
	await expect(newcomer.locator('.post .mention').last()).toHaveText('@Thu Newcomer');
	await newcomer.getByRole('link', { name: /Back to/ }).click();
	await expect(
		newcomer.locator('.thread-item', { hasText: 'Hỏi về hợp đồng lao động' }).locator('.badge')
	).toHaveCount(0);
	await newcomer.goto('/');
	await expect(
		newcomer.locator('.space-card', { hasText: 'CLB Phụ nữ Bình Xuyên' }).locator('.badge')
	).toHaveCount(0);

	// Her phone's screen off on the thread when a reply arrives: the reply is fetched,
	// but the thread stays unread until she looks at it again.
	await newcomer.goto(threadUrl);
	await expect(newcomer.locator('.post').last()).toContainText('có luật sư tư vấn');
	const setVisibility = (state: 'hidden' | 'visible') =>
		newcomer.evaluate((value) => {
			Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value });
			document.dispatchEvent(new Event('visibilitychange'));
		}, state);
	await setVisibility('hidden');
	await facilitator.getByLabel('Your reply').fill('Nhớ mang theo sổ bảo hiểm xã hội.');
	await facilitator.getByRole('button', { name: 'Reply' }).click();
	await expect(newcomer.locator('.post').last()).toContainText('sổ bảo hiểm', { timeout: 15_000 });
	const list = await newcomer.context().newPage();
	await list.goto(threadUrl.replace(/\/threads\/.*$/, ''));
	const listed = list.locator('.thread-item', { hasText: 'Hỏi về hợp đồng lao động' });
	await expect(listed.locator('.badge')).toHaveText('New');
	// She looks: now it is read.
	await setVisibility('visible');
	await expect(async () => {
		await list.reload();
		await expect(listed.locator('.badge')).toHaveCount(0, { timeout: 1_000 });
	}).toPass({ timeout: 15_000 });
});

test('a too-long title is refused with a message and nothing typed is lost', async ({ browser }) => {
	const member = await personPage(browser);
	await signIn(member, 'mai@sahakum.test');
	await member.goto('/spaces/10000000-0000-4000-a000-000000000001/threads/new');
	const longTitle = 'Tiêu đề '.repeat(30);
	// The field's maxlength stops typing past 200; a pasted or scripted value must be refused by the server too.
	await member.locator('input[name=title]').evaluate((input) => input.removeAttribute('maxlength'));
	await member.locator('input[name=title]').fill(longTitle);
	await member.locator('textarea[name=body]').fill('Nội dung tôi đã gõ rất lâu.');
	await member.locator('main form button[type=submit]').click();
	await expect(member.getByText(/Quá dài: tối đa 200 ký tự/)).toBeVisible();
	await expect(member.locator('textarea[name=body]')).toHaveValue('Nội dung tôi đã gõ rất lâu.');
	await expect(member.locator('input[name=title]')).toHaveValue(longTitle.trim());
});

test('reading and replying work without JavaScript', async ({ browser }) => {
	const page = await personPage(browser, { javaScriptEnabled: false });
	await signIn(page, 'hoa@sahakum.test');
	await page.goto(
		'/spaces/10000000-0000-4000-a000-000000000001/threads/20000000-0000-4000-a000-000000000002'
	);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('làm thêm giờ');
	await page
		.locator('textarea[name=body]')
		.fill('Theo luật, làm thêm không quá 40 giờ một tháng. Chị sẽ hỏi công đoàn.');
	await page.locator('form.reply-form button[type=submit]').click();
	await expect(page.locator('.post').last()).toContainText('hỏi công đoàn');
});

test('search in Vietnamese ignores diacritics', async ({ browser }) => {
	const page = await personPage(browser);
	await signIn(page, 'mai@sahakum.test');
	await page.goto('/spaces/10000000-0000-4000-a000-000000000001/search');
	await page.getByLabel('Tìm trong không gian này').fill('bao hiem xa hoi');
	await page.getByRole('button', { name: 'Tìm', exact: true }).click();
	await expect(page.locator('.thread-item').first()).toContainText('Họp tháng 12: quyền lợi bảo hiểm xã hội');
	await page.getByLabel('Tìm trong không gian này').fill('không tồn tại xyz');
	await page.getByRole('button', { name: 'Tìm', exact: true }).click();
	await expect(page.getByText('Không tìm thấy “không tồn tại xyz”.', { exact: false })).toBeVisible();
});

test('search in Khmer matches part of a word run (no spaces in Khmer)', async ({ browser }) => {
	const page = await personPage(browser);
	await signIn(page, 'dara@sahakum.test');
	await expect(page.locator('html')).toHaveAttribute('lang', 'km');
	await page.goto('/spaces/10000000-0000-4000-a000-000000000002/search');
	await page.getByLabel('ស្វែងរកក្នុងកន្លែងនេះ').fill('សំណើ');
	await page.locator('form.search-form button[type=submit]').click();
	await expect(page.locator('.thread-item').first()).toContainText('ការរៀបចំសំណើគម្រោង និងថវិកា');
});

test('an author edits a reply: it is marked edited and the earlier wording stays readable', async ({
	browser
}) => {
	const page = await personPage(browser);
	await signIn(page, 'mai@sahakum.test');
	await page.goto(
		'/spaces/10000000-0000-4000-a000-000000000001/threads/20000000-0000-4000-a000-000000000001'
	);
	const post = page.locator('#post-30000000-0000-4000-a000-000000000002');
	await post.locator('.post-more > summary').click(); // "⋯": the message's actions
	await post.getByText('Sửa', { exact: true }).click();
	await post
		.locator('textarea[name=body]')
		.fill('Em đã đóng BHXH được 2 năm 3 tháng. Nếu nghỉ việc có nhận một lần được không ạ?');
	await post.getByRole('button', { name: 'Lưu thay đổi' }).click();
	await expect(post.locator('.post-body').first()).toContainText('2 năm 3 tháng');
	await expect(post.getByText('(đã sửa)')).toBeVisible();
	await post.getByText('Các phiên bản trước (1)').click();
	await expect(post.locator('.revisions')).toContainText('Em đã đóng BHXH được 2 năm, nếu nghỉ việc');
});
