// Offline on the phone, against the production build and its service worker:
// a member reads what she opened before, writes two replies, a reaction and a
// new thread without a network (all shown as waiting, and still there after a
// reload), and when the network is back another member sees each exactly
// once, in order. A reply refused because she was removed meanwhile stays on
// her screen with the reason (the reply action's own words). The same text
// sent online and from the outbox is stored the same way: the outbox posts to
// the same form action.
import { expect, test, untilQuiet, type Browser, type BrowserContext, type Page } from './test';
import { signUp, stackUrl, uniqueEmail } from './helpers';

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
	await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function person(browser: Browser) {
	const context = await browser.newContext({
		viewport: { width: 360, height: 740 },
		isMobile: true,
		hasTouch: true
	});
	contexts.push(context);
	return { context, page: await context.newPage() };
}

/** The service worker is installed and controls the page (it claims it on first install). */
async function workerInCharge(page: Page) {
	await page.waitForFunction(async () => {
		await navigator.serviceWorker.ready;
		return !!navigator.serviceWorker.controller;
	});
}

/** A new club with one discussion in it, started by the person on `page`; returns the paths of both. */
async function clubWithThread(
	page: Page,
	club: { name: string; objective: string },
	thread: { title: string; message: string }
) {
	await page.getByRole('link', { name: 'Start a space' }).click();
	await page.getByLabel('Women’s club').check();
	await page.getByLabel('Name').fill(club.name);
	await page.getByLabel('Objective').fill(club.objective);
	await page.getByRole('button', { name: 'Create space' }).click();
	await expect(page.locator('.space-title')).toHaveText(club.name);
	const spaceUrl = new URL(page.url()).pathname;
	await page.getByRole('link', { name: 'Start a discussion' }).click();
	await page.getByLabel('Title').fill(thread.title);
	await page.getByLabel('Message').fill(thread.message);
	await page.getByRole('button', { name: 'Post' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(thread.title);
	return { spaceUrl, threadUrl: new URL(page.url()).pathname };
}

test('read and write offline; everything is sent once, in order, when the network is back', async ({
	browser
}) => {
	test.setTimeout(150_000);
	const fac = await person(browser);
	await signUp(fac.page, 'Linh Offline', uniqueEmail('offfac'));
	const { spaceUrl, threadUrl } = await clubWithThread(
		fac.page,
		{ name: 'CLB Khu trọ Ngoại tuyến', objective: 'Thử đọc và viết khi không có mạng.' },
		{ title: 'Lịch họp tháng này', message: 'Họp tối Chủ nhật, 19:30.' }
	);
	await fac.page.goto(`${spaceUrl}/members`);
	await fac.page.getByRole('button', { name: 'Create invite code' }).click();
	const code = (await fac.page.locator('.invite-code').first().getAttribute('aria-label'))!;

	const mem = await person(browser);
	await signUp(mem.page, 'Thu Offline', uniqueEmail('offmem'));
	await mem.page.goto(`/join?code=${code}`);
	await mem.page.getByRole('button', { name: 'Join' }).click();
	await expect(mem.page.locator('.space-title')).toBeVisible();
	await workerInCharge(mem.page);
	// What she opens while online is kept for later.
	for (const path of ['/', spaceUrl, `${spaceUrl}/threads/new`, threadUrl]) await mem.page.goto(path);
	await expect(mem.page.getByRole('heading', { level: 1 })).toHaveText('Lịch họp tháng này');

	// The network goes (once the page is quiet: see untilQuiet).
	await untilQuiet(mem.page);
	await mem.context.setOffline(true);
	await mem.page.goto(spaceUrl);
	await expect(mem.page.locator('.offline-notice')).toContainText('saved copy');
	await expect(mem.page.locator('.thread-item', { hasText: 'Lịch họp tháng này' })).toBeVisible();
	await mem.page.goto(threadUrl);
	await expect(mem.page.locator('.post').first()).toContainText('Họp tối Chủ nhật');

	const reply = async (text: string) => {
		await mem.page.getByLabel('Your reply').fill(text);
		await mem.page.getByRole('button', { name: 'Reply' }).click();
		await expect(mem.page.locator('.waiting li', { hasText: text })).toContainText('Waiting to send');
		await expect(mem.page.getByLabel('Your reply')).toHaveValue('');
	};
	await reply('Em sẽ đến, mang theo giấy tờ.');
	await reply('Cho em hỏi có cần mang hợp đồng không?');
	await mem.page
		.locator('.post')
		.first()
		.getByRole('button', { name: /Thanks/ })
		.click();
	await expect(mem.page.locator('.waiting li', { hasText: 'Thanks' })).toContainText('Waiting to send');
	// Typed but not sent yet: kept across the reload below.
	await mem.page.getByLabel('Your reply').fill('Chưa gửi: một câu đang gõ dở');

	await mem.page.goto(`${spaceUrl}/threads/new`);
	await mem.page.getByLabel('Title').fill('Hỏi về giờ làm thêm');
	await mem.page.getByLabel('Message').fill('Tháng này xưởng bắt làm 60 giờ.');
	await mem.page.getByRole('button', { name: 'Post' }).click();
	await expect(mem.page.locator('.waiting li', { hasText: 'Hỏi về giờ làm thêm' })).toContainText(
		'Waiting to send'
	);

	// A reload without a network: all four still wait, and the half-typed reply is still there.
	await mem.page.goto(threadUrl);
	await mem.page.reload();
	await expect(mem.page.locator('.outbox-bar')).toContainText('4 messages waiting to send');
	await expect(mem.page.locator('.waiting li')).toHaveCount(3);
	await expect(mem.page.getByLabel('Your reply')).toHaveValue('Chưa gửi: một câu đang gõ dở');

	// The network comes back: everything goes, once.
	await mem.context.setOffline(false);
	await mem.page.evaluate(() => dispatchEvent(new Event('online')));
	await expect(mem.page.locator('.outbox-bar')).toHaveCount(0, { timeout: 20_000 });
	await expect(mem.page.locator('.waiting li')).toHaveCount(0);

	await fac.page.goto(threadUrl);
	const bodies = await fac.page.locator('.post').allTextContents();
	const all = bodies.join('\n');
	expect(all.split('Em sẽ đến, mang theo giấy tờ.').length - 1).toBe(1);
	expect(all.split('Cho em hỏi có cần mang hợp đồng không?').length - 1).toBe(1);
	await expect(fac.page.locator('.post')).toHaveCount(3);
	await expect(fac.page.locator('.post').nth(1)).toContainText('Em sẽ đến');
	await expect(fac.page.locator('.post').nth(2)).toContainText('hợp đồng');
	await expect(
		fac.page
			.locator('.post')
			.first()
			.getByRole('button', { name: /Thanks/ })
	).toContainText('1');
	await fac.page.goto(spaceUrl);
	await expect(fac.page.locator('.thread-item', { hasText: 'Hỏi về giờ làm thêm' })).toHaveCount(1);

	// Offline again, she writes; meanwhile she is removed; the reply is refused and stays, with the reason.
	await mem.page.goto(threadUrl);
	await untilQuiet(mem.page);
	await mem.context.setOffline(true);
	await mem.page.getByLabel('Your reply').fill('Câu này sẽ không gửi được.');
	await mem.page.getByRole('button', { name: 'Reply' }).click();
	await expect(mem.page.locator('.waiting li', { hasText: 'Câu này' })).toContainText('Waiting to send');
	await fac.page.goto(`${spaceUrl}/members`);
	const row = fac.page.locator('.member', { hasText: 'Thu Offline' });
	await row.locator('summary', { hasText: /^Remove/ }).click();
	await fac.page.getByRole('button', { name: 'Yes, remove Thu Offline' }).click();
	await expect(row).toHaveCount(0);
	await mem.context.setOffline(false);
	await mem.page.evaluate(() => dispatchEvent(new Event('online')));
	// The thread is closed to her now (a live update may already show so): the bar
	// says something was not sent and leads to the page that keeps it.
	await expect(mem.page.locator('.outbox-bar.refused')).toContainText('1 message could not be sent.', {
		timeout: 20_000
	});
	await mem.page.getByRole('link', { name: 'See what was not sent' }).click();
	await expect(mem.page.getByRole('heading', { level: 1 })).toHaveText('Not sent yet');
	const refused = mem.page.locator('.waiting li', { hasText: 'Câu này sẽ không gửi được.' });
	await expect(refused).toContainText('Not sent');
	await expect(refused).toContainText('You are not allowed to do this here.');
	await expect(refused.getByRole('button', { name: 'Discard' })).toBeVisible();
});

test('signing out of a shared phone leaves no saved pages, waiting messages or typed text; a waiting reply is warned about first', async ({
	browser
}) => {
	test.setTimeout(90_000);
	const mem = await person(browser);
	await signUp(mem.page, 'Sương Dùng Chung', uniqueEmail('offshared'));
	await clubWithThread(
		mem.page,
		{ name: 'CLB Điện thoại dùng chung', objective: 'Thử đăng xuất trên máy dùng chung.' },
		{ title: 'Chuyện riêng', message: 'Điều chỉ nhóm được biết.' }
	);
	await workerInCharge(mem.page);
	await mem.page.reload();

	await untilQuiet(mem.page);
	await mem.context.setOffline(true);
	await mem.page.getByLabel('Your reply').fill('Trả lời chờ gửi');
	await mem.page.getByRole('button', { name: 'Reply' }).click();
	await expect(mem.page.locator('.waiting li', { hasText: 'Trả lời chờ gửi' })).toBeVisible();
	await mem.page.getByLabel('Your reply').fill('Đang gõ dở');
	// The reply keeps waiting: its post to the reply action never gets through.
	await mem.page.route(
		(url) => url.search === '?/reply',
		(route) => route.abort()
	);
	await mem.context.setOffline(false);

	// The warning says what would be lost; choosing to stay keeps everything.
	let warning = '';
	mem.page.once('dialog', (dialog) => {
		warning = dialog.message();
		void dialog.dismiss();
	});
	await mem.page.getByRole('button', { name: 'Sign out' }).click();
	expect(warning).toContain('1 message');
	await expect(mem.page.getByRole('button', { name: 'Sign out' })).toBeVisible();
	await expect(mem.page.locator('.waiting li', { hasText: 'Trả lời chờ gửi' })).toBeVisible();
	const before = await mem.page.evaluate(async () =>
		(await (await caches.open('pages')).keys()).map((request) => request.url)
	);
	expect(before.some((url) => url.includes('/spaces/'))).toBe(true);

	mem.page.once('dialog', (dialog) => void dialog.accept());
	await mem.page.getByRole('button', { name: 'Sign out' }).click();
	await expect(mem.page.getByRole('link', { name: 'Sign in' }).first()).toBeVisible();
	const left = await mem.page.evaluate(async () => ({
		caches: await caches.keys(),
		pages: (await (await caches.open('pages')).keys()).map((request) => request.url),
		typed: Object.keys(localStorage).filter((key) => key.startsWith('sahakum:typed:')),
		databases: (await indexedDB.databases()).map((database) => database.name)
	}));
	// (The page shown after signing out may be saved again: only public pages.)
	expect(left.pages.filter((url) => url.includes('/spaces/'))).toEqual([]);
	expect(left.caches).not.toContain('library-files');
	expect(left.typed).toEqual([]);
	expect(left.databases).not.toContain('sahakum-outbox');
});

test('where the phone cannot store anything (private window, storage full), an offline reply is not lost silently: she is told and the text stays', async ({
	browser
}) => {
	test.setTimeout(90_000);
	const mem = await person(browser);
	// IndexedDB refuses, as it does in some private windows or with the disk full.
	await mem.context.addInitScript(() => {
		indexedDB.open = () => {
			throw new DOMException('The user denied permission to access the database.', 'UnknownError');
		};
	});
	await signUp(mem.page, 'Lan Ẩn Danh', uniqueEmail('offprivate'));
	await clubWithThread(
		mem.page,
		{ name: 'CLB Cửa sổ ẩn danh', objective: 'Thử khi điện thoại không lưu được gì.' },
		{ title: 'Không lưu được', message: 'Thử gửi khi mất mạng.' }
	);

	await untilQuiet(mem.page);
	await mem.context.setOffline(true);
	await mem.page.getByLabel('Your reply').fill('Câu trả lời này không được mất');
	let told = '';
	mem.page.once('dialog', (dialog) => {
		told = dialog.message();
		void dialog.accept();
	});
	await mem.page.getByRole('button', { name: 'Reply' }).click();
	await expect.poll(() => told).toContain('cannot keep your message');
	await expect(mem.page.getByLabel('Your reply')).toHaveValue('Câu trả lời này không được mất');
	await expect(mem.page.locator('.waiting li')).toHaveCount(0);
});

test('a reply with a right-to-left override is stored the same way sent online and sent from the outbox', async ({
	browser
}) => {
	test.setTimeout(90_000);
	const mem = await person(browser);
	const email = uniqueEmail('offbidi');
	await signUp(mem.page, 'Vy Hai Chiều', email);
	const { threadUrl } = await clubWithThread(
		mem.page,
		{ name: 'CLB Chữ hai chiều', objective: 'Thử một câu có ký tự đảo chiều.' },
		{ title: 'Biên bản họp', message: 'Biên bản gửi kèm.' }
	);
	const threadId = threadUrl.split('/').at(-1)!;
	await workerInCharge(mem.page);
	await mem.page.reload();

	// "Biên bản ‮fdp.exe" would show as "Biên bản exe.pdf": the override is what a trick needs.
	const typed = 'Biên bản \u202Efdp.exe họp tháng';
	await mem.page.getByLabel('Your reply').fill(typed);
	await mem.page.getByRole('button', { name: 'Reply' }).click();
	await expect(mem.page.locator('.post')).toHaveCount(2);

	await untilQuiet(mem.page);
	await mem.context.setOffline(true);
	await mem.page.getByLabel('Your reply').fill(typed);
	await mem.page.getByRole('button', { name: 'Reply' }).click();
	await expect(mem.page.locator('.waiting li')).toContainText('Waiting to send');
	await mem.context.setOffline(false);
	await mem.page.evaluate(() => dispatchEvent(new Event('online')));
	await expect(mem.page.locator('.waiting li')).toHaveCount(0, { timeout: 20_000 });
	await expect(mem.page.locator('.post')).toHaveCount(3);

	// What the database holds, read as she can read it.
	const { createClient } = await import('@supabase/supabase-js');
	const { default: ws } = await import('ws');
	const client = createClient(stackUrl(), process.env.E2E_STACK_KEY ?? '', {
		auth: { persistSession: false, autoRefreshToken: false },
		realtime: { transport: ws as never }
	});
	const signedIn = await client.auth.signInWithPassword({ email, password: 'long enough password' });
	expect(signedIn.error).toBeNull();
	const { data: posts } = await client
		.from('posts')
		.select('body')
		.eq('thread_id', threadId)
		.order('created_at')
		.throwOnError();
	expect((posts as { body: string }[]).map((post) => post.body)).toEqual([
		'Biên bản gửi kèm.',
		'Biên bản fdp.exe họp tháng',
		'Biên bản fdp.exe họp tháng'
	]);
});
