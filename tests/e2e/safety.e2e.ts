// Safe spaces (issue 26) on phones, in English: a member (Mai) writes a reply;
// another member (Anna) reports it as harassment; the space's facilitator
// (Linh) finds it in the moderation queue with Anna's reason, removes it and
// warns Mai with a reason; Mai is told on her home page, with the reason; the
// audit log records the decision. Then Mai raises a confidential concern,
// Linh answers it, Mai reads the answer, and Anna cannot open the inbox.
import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type BrowserContext } from './test';
import { signInAsDemo } from './helpers';

// Each demo person's profile language wins over the cookie: Mai and Linh use
// the app in Vietnamese, Anna in English.
const en = JSON.parse(readFileSync('messages/en.json', 'utf8')) as Record<string, string>;
const vi = JSON.parse(readFileSync('messages/vi.json', 'utf8')) as Record<string, string>;
const CLUB_ID = '10000000-0000-4000-a000-000000000001';
const THREAD = `/spaces/${CLUB_ID}/threads/20000000-0000-4000-a000-000000000002`;

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
	await Promise.all(contexts.splice(0).map((context) => context.close()));
});

/**
 * A demo person signed in on a phone that reads in `language` (their profile's:
 * set again after signing in, since another test may have changed the profile).
 */
async function signedIn(browser: Browser, email: string, language: 'vi' | 'en') {
	const page = await phone(browser);
	await signInAsDemo(page, email);
	await page
		.context()
		.addCookies([{ name: 'PARAGLIDE_LOCALE', value: language, url: test.info().project.use.baseURL! }]);
	return page;
}

async function phone(browser: Browser) {
	const context = await browser.newContext({
		viewport: { width: 360, height: 740 },
		isMobile: true,
		hasTouch: true
	});
	contexts.push(context);
	await context.addCookies([
		{ name: 'PARAGLIDE_LOCALE', value: 'en', url: test.info().project.use.baseURL! }
	]);
	return context.newPage();
}

test('a member reports a post; the facilitator removes it and warns its writer, who is told why', async ({
	browser
}) => {
	const words = `Stop asking questions or you will regret it ${Date.now()}`;
	const why = 'Threats have no place in our group.';

	const mai = await signedIn(browser, 'mai@sahakum.test', 'vi');
	await mai.goto(THREAD);
	await mai.locator('form.reply-form textarea[name=body]').fill(words);
	await mai.locator('form.reply-form button[type=submit]').click();
	await expect(mai.locator('.post').last()).toContainText(words);

	const anna = await signedIn(browser, 'anna@sahakum.test', 'en');
	await anna.goto(THREAD);
	const post = anna.locator('.post', { hasText: words });
	await post.getByRole('link', { name: en.post_report }).click();
	await expect(anna.getByRole('heading', { level: 1 })).toHaveText(en.report_post_title);
	await anna.getByLabel(en.report_reason_harassment).check();
	await anna.getByRole('button', { name: en.report_submit }).click();
	await expect(anna.getByText(en.report_sent)).toBeVisible();

	const linh = await signedIn(browser, 'linh@sahakum.test', 'vi');
	await linh.goto(`/spaces/${CLUB_ID}/moderation`);
	const item = linh.locator('article.reported', { hasText: words });
	await expect(item).toBeVisible();
	await expect(item).toContainText(vi.report_reason_harassment);
	await expect(item).toContainText('Anna Berg'); // the reporter's name: facilitators only
	await item.getByLabel(vi.moderation_remove).check();
	await item.getByLabel(vi.moderation_person_warn).check();
	await item.getByLabel(vi.moderation_reason_label).fill(why);
	await item.getByRole('button', { name: vi.moderation_decide }).click();
	await expect(linh.getByText(vi.moderation_decided)).toBeVisible();

	// The post reads as removed for everyone.
	await anna.goto(THREAD);
	await expect(anna.locator('.post', { hasText: words })).toHaveCount(0);

	// Mai is told, with the reason.
	await mai.goto('/');
	await mai.locator('.notice a').click();
	await expect(mai.locator('#notices')).toContainText(vi.notice_removed);
	await expect(mai.locator('#notices')).toContainText(why);

	// The audit log shows the decision, with its reason.
	await linh.goto(`/spaces/${CLUB_ID}/moderation/log`);
	await expect(linh.locator('main')).toContainText(why);
});

test('a member raises a confidential concern; the facilitator answers; other members cannot see it', async ({
	browser
}) => {
	const concern = `The landlord's brother photographs us at the gate ${Date.now()}`;
	const answer = 'Thank you for telling us. We will raise it without naming you.';

	const mai = await signedIn(browser, 'mai@sahakum.test', 'vi');
	await mai.goto(`/spaces/${CLUB_ID}/safety`);
	await mai.getByLabel(vi.concern_body_label).fill(concern);
	await mai.getByRole('button', { name: vi.concern_submit }).click();
	await expect(mai.getByText(vi.concern_sent)).toBeVisible();

	const linh = await signedIn(browser, 'linh@sahakum.test', 'vi');
	await linh.goto(`/spaces/${CLUB_ID}/safety/concerns`);
	const item = linh.locator('ul.list > li', { hasText: concern });
	await item.getByLabel(vi.concern_answer_label).fill(answer);
	await item.getByRole('button', { name: vi.concern_answer_submit }).click();
	await expect(linh.getByText(vi.concern_answer_sent)).toBeVisible();

	await mai.goto(`/spaces/${CLUB_ID}/safety`);
	await expect(mai.locator('main')).toContainText(answer);

	const anna = await signedIn(browser, 'anna@sahakum.test', 'en');
	const response = await anna.goto(`/spaces/${CLUB_ID}/safety/concerns`);
	expect(response?.status()).toBe(404);
	await anna.goto(`/spaces/${CLUB_ID}/safety`);
	await expect(anna.locator('main')).not.toContainText(concern);
});
