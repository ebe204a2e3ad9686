// Consequential actions take two steps, with and without JavaScript: the first
// button only says what will happen, the second does it. Removing a member,
// handing over facilitation, leaving a space, removing a message and deleting
// a library item. And a removed member's old code still does not let them in.
import { expect, test, type Browser, type BrowserContext, type Page } from './test';
import { signUp, uniqueEmail } from './helpers';

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
	await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function person(
	browser: Browser,
	name: string,
	javaScriptEnabled: boolean,
	email = uniqueEmail('confirm')
): Promise<Page> {
	const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled });
	contexts.push(context);
	const page = await context.newPage();
	await signUp(page, name, email);
	return page;
}

async function join(page: Page, code: string) {
	await page.goto(`/join?code=${code}`);
	await page.getByRole('button', { name: 'Join' }).click();
	await expect(page.locator('.space-title')).toBeVisible();
}

const memberRow = (page: Page, name: string) => page.locator('.member', { hasText: name });

for (const javaScriptEnabled of [true, false]) {
	const mode = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';

	test(`remove, hand over and leave ask first and say what will happen (${mode})`, async ({ browser }) => {
		// Three people sign up and join, page by page without JavaScript: more than the default minute.
		test.setTimeout(120_000);
		const facilitator = await person(browser, 'Nguyễn Thị Xuân', javaScriptEnabled);
		await facilitator.goto('/spaces/new');
		await facilitator.locator('input[name=name]').fill(`Nhóm thử xác nhận ${mode}`);
		await facilitator.locator('textarea[name=objective]').fill('Thử các thao tác cần xác nhận.');
		await facilitator.locator('main form button[type=submit]').click();
		await expect(facilitator.locator('.space-title')).toHaveText(`Nhóm thử xác nhận ${mode}`);
		const members = `${new URL(facilitator.url()).pathname}/members`;
		await facilitator.goto(members);
		await facilitator.getByRole('button', { name: 'Create invite code' }).click();
		const code = (await facilitator.locator('.invite-code').first().getAttribute('aria-label'))!;

		const thuEmail = uniqueEmail('thu');
		const thu = await person(browser, 'Lê Thị Thu', javaScriptEnabled, thuEmail);
		await join(thu, code);
		const hanh = await person(browser, 'Phạm Thị Hạnh', javaScriptEnabled);
		await join(hanh, code);

		// Remove: the first button only opens the warning.
		await facilitator.goto(members);
		await memberRow(facilitator, 'Lê Thị Thu')
			.locator('summary', { hasText: /^Remove/ })
			.click();
		await expect(memberRow(facilitator, 'Lê Thị Thu')).toContainText(
			'Lê Thị Thu will no longer see this space or its discussions. They can come back only with a new invitation.'
		);
		await expect(memberRow(facilitator, 'Lê Thị Thu')).toBeVisible();
		if (javaScriptEnabled) {
			// A one-tap request (an old page from before the confirmation) does nothing.
			const userId = await memberRow(facilitator, 'Lê Thị Thu')
				.locator('input[name=user_id]')
				.first()
				.inputValue();
			const answer = await facilitator.evaluate(async (id) => {
				const body = new FormData();
				body.set('user_id', id);
				const response = await fetch('?/remove', {
					method: 'POST',
					body,
					headers: { 'x-sveltekit-action': 'true' }
				});
				return (await response.json()) as { type: string };
			}, userId);
			expect(answer.type).toBe('failure');
		}
		await facilitator.getByRole('button', { name: 'Yes, remove Lê Thị Thu' }).click();
		await expect(memberRow(facilitator, 'Lê Thị Thu')).toHaveCount(0);

		// The removed member's old code is refused with its reason, even through an invite link.
		await thu.goto(`/join?code=${code}`);
		await thu.getByRole('button', { name: 'Join' }).click();
		await expect(
			thu.getByText('You were removed from this space, so this code no longer lets you in.')
		).toBeVisible();
		await thu.getByRole('button', { name: 'Sign out' }).click();
		await thu.goto(`/join?code=${code}`);
		// A signed-out invitee lands on creating an account; Thu has one.
		await thu.getByRole('link', { name: 'I already have an account: sign in' }).click();
		await thu.locator('input[name=email]').fill(thuEmail);
		await thu.locator('input[name=password]').fill('long enough password');
		await thu.locator('main form button[type=submit]').click();
		await expect(thu).toHaveURL(/\/join\?code=.*refused=removed_from_space/);
		await expect(
			thu.getByText('You were removed from this space, so this code no longer lets you in.')
		).toBeVisible();

		// Hand over: says who becomes facilitator and that only they can hand it back.
		await memberRow(facilitator, 'Phạm Thị Hạnh')
			.locator('summary', { hasText: /^Hand over facilitation/ })
			.click();
		await expect(memberRow(facilitator, 'Phạm Thị Hạnh')).toContainText(
			'Phạm Thị Hạnh becomes the facilitator of this space and you become a member. Only Phạm Thị Hạnh can hand it back to you.'
		);
		await facilitator.getByRole('button', { name: 'Yes, hand over to Phạm Thị Hạnh' }).click();
		await expect(memberRow(facilitator, 'Phạm Thị Hạnh').locator('.tag')).toHaveText('Facilitator');
		await expect(facilitator.getByText('Hand over facilitation')).toHaveCount(0);

		// Leave.
		await facilitator.locator('summary', { hasText: 'Leave this space' }).click();
		await expect(
			facilitator.getByText('You will no longer see this space or its discussions.')
		).toBeVisible();
		await facilitator.getByRole('button', { name: 'Yes, leave this space' }).click();
		await expect(facilitator).toHaveURL(/\/\?left=1$/);
	});

	test(`removing a message and deleting a library item ask first (${mode})`, async ({ browser }) => {
		const page = await person(browser, 'Trần Thị Yến', javaScriptEnabled);
		await page.goto('/spaces/new');
		await page.locator('input[name=name]').fill(`Thư viện thử ${mode}`);
		await page.locator('textarea[name=objective]').fill('Thử xoá tin nhắn và tài liệu.');
		await page.locator('main form button[type=submit]').click();
		await expect(page.locator('.space-title')).toHaveText(`Thư viện thử ${mode}`);
		const space = new URL(page.url()).pathname;

		await page.goto(`${space}/threads/new`);
		await page.locator('input[name=title]').fill('Lịch họp tháng này');
		await page.locator('textarea[name=body]').fill('Họp tối Chủ nhật, 19:30.');
		await page.locator('main form button[type=submit]').click();
		await page.locator('form.reply-form textarea[name=body]').fill('Nhầm giờ, xin gỡ.');
		await page.locator('form.reply-form button[type=submit]').click();
		const reply = page.locator('.post').last();
		await expect(reply).toContainText('Nhầm giờ, xin gỡ.');
		// One compact control; Edit and Remove are inside it.
		await expect(reply.locator('summary', { hasText: 'Edit' })).toBeHidden();
		await reply.locator('.post-more > summary').click();
		await reply.locator('summary', { hasText: /^Remove/ }).click();
		await expect(reply).toContainText('Everyone will see “This message was removed.” in its place.');
		await reply.getByRole('button', { name: 'Yes, remove this message' }).click();
		await expect(page.locator('.post').last()).toContainText('This message was removed.');

		await page.goto(`${space}/library`);
		const upload = page.locator('form.library-form');
		await upload.locator('input[name=kind][value=link]').check();
		await upload.locator('input[name=title]').fill('Bộ luật Lao động 2019');
		await upload.locator('input[name=url]').fill('https://vbpl.vn/');
		await upload.locator('input[name=languages][value=vi]').check();
		await upload.locator('button[type=submit]').click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bộ luật Lao động 2019');
		await page.locator('.library-delete summary').click();
		await expect(page.locator('.library-delete')).toContainText('It cannot be undone.');
		await page.locator('form[action="?/delete"] input[name=confirm]').check();
		await page.locator('form[action="?/delete"] button[type=submit]').click();
		await expect(page).toHaveURL(new RegExp(`${space}/library`));
		await expect(page.getByText('Bộ luật Lao động 2019')).toHaveCount(0);
	});
}
