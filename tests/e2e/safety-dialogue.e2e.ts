// Safe spaces (issue 26) in a dialogue and over one's own data, on phones.
//
// 1. A landlord who joined the Khai Quang club's dialogue as a guest (a fresh
//    account, in Vietnamese, through the seeded invite NHATRA26) threatens the
//    women; three members (Mai, Anna, Linh) report it and after the third it is
//    hidden from members and guests; the dialogue's convener (Hoa, a leader:
//    she does not see who reported) removes it and mutes him with a reason; he
//    is told why, cannot post (the dialogue says so; a reply sent anyway is
//    refused with the same reason), and the audit log the
//    facilitator (Linh) reads shows each step with who and why.
// 2. A new member (in Khmer) joins by the club's code, replies, downloads her
//    data (the zip holds her reply) and deletes her account: she cannot sign in
//    again and her reply reads "a former member" to the others.
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { expect, test, type Browser, type BrowserContext, type Page } from './test';
import { signInAsDemo, signUp, uniqueEmail } from './helpers';

type Messages = Record<string, string>;
const en = JSON.parse(readFileSync('messages/en.json', 'utf8')) as Messages;
const vi = JSON.parse(readFileSync('messages/vi.json', 'utf8')) as Messages;
const km = JSON.parse(readFileSync('messages/km.json', 'utf8')) as Messages;
const CLUB_ID = '10000000-0000-4000-a000-000000000001';
const DIALOGUE = '/dialogues/20000000-0000-4000-a000-000000000010';
const DIALOGUE_TITLE = 'Đối thoại với chủ nhà trọ phường Khai Quang';
const THREAD = `/spaces/${CLUB_ID}/threads/20000000-0000-4000-a000-000000000002`;
/** The text of a message before its first placeholder ("… until {date}." → "… until"). */
const before = (message: string) => message.split('{')[0].trim();

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
	await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function phone(browser: Browser, language: 'en' | 'vi' | 'km') {
	const context = await browser.newContext({
		viewport: { width: 360, height: 740 },
		isMobile: true,
		hasTouch: true
	});
	contexts.push(context);
	await context.addCookies([
		{ name: 'PARAGLIDE_LOCALE', value: language, url: test.info().project.use.baseURL! }
	]);
	return context.newPage();
}

/** A demo person, reading in `language` (set again after sign-in: another test may have changed her profile). */
async function demo(browser: Browser, email: string, language: 'en' | 'vi') {
	const page = await phone(browser, language);
	await signInAsDemo(page, email);
	await page
		.context()
		.addCookies([{ name: 'PARAGLIDE_LOCALE', value: language, url: test.info().project.use.baseURL! }]);
	return page;
}

/** A new person signs up (the helper speaks English), then picks her language, which her profile keeps. */
async function newcomer(
	browser: Browser,
	name: string,
	language: 'vi' | 'km',
	email = uniqueEmail('safety')
) {
	const page = await phone(browser, 'en');
	await signUp(page, name, email);
	await page.getByRole('button', { name: language === 'vi' ? 'Tiếng Việt' : 'ខ្មែរ' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', language);
	return page;
}

async function report(page: Page, words: string, t: Messages) {
	await page.goto(DIALOGUE);
	await page.locator('article.post', { hasText: words }).getByRole('link', { name: t.post_report }).click();
	await page.getByLabel(t.report_reason_harassment).check();
	await page.getByRole('button', { name: t.report_submit }).click();
}

test('three members report a guest’s threat in a dialogue; hidden; the convener removes it and mutes him; he is told; the log shows it', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const threat = `Ai còn kêu ca về giá điện thì liệu hồn, tôi biết các cô ở phòng nào ${Date.now()}`;
	const why = 'Đe doạ người thuê trọ không được chấp nhận trong đối thoại này';
	const landlordName = `Chủ Trọ Dữ ${Date.now() % 100000}`;

	// The landlord joins the club's dialogue as a guest, in Vietnamese, and threatens.
	const landlord = await newcomer(browser, landlordName, 'vi');
	await landlord.goto('/dialogues/join?code=NHATRA26');
	await landlord.getByLabel(vi.dialogue_field_stakeholder).selectOption({ label: vi.stakeholder_landlord });
	await landlord.getByLabel(vi.dialogue_field_organisation).fill('Nhà trọ Phát Đạt');
	await landlord.getByRole('button', { name: vi.dialogue_join_submit }).click();
	await expect(landlord.getByRole('heading', { level: 1 })).toHaveText(DIALOGUE_TITLE);
	await landlord.getByLabel(vi.dialogue_reply_label).fill(threat);
	await landlord.getByRole('button', { name: vi.reply_submit }).click();
	await expect(landlord.locator('article.post', { hasText: threat })).toContainText(vi.stakeholder_landlord);

	// Three members of the club report it; the third report hides it.
	const mai = await demo(browser, 'mai@sahakum.test', 'vi');
	await report(mai, threat, vi);
	await expect(mai.getByText(vi.report_sent, { exact: true })).toBeVisible();
	const anna = await demo(browser, 'anna@sahakum.test', 'en');
	await report(anna, threat, en);
	await expect(anna.getByText(en.report_sent, { exact: true })).toBeVisible();
	// Still there after two: two people alone do not hide a post.
	await mai.goto(DIALOGUE);
	await expect(mai.locator('article.post', { hasText: threat })).toHaveCount(1);
	const linh = await demo(browser, 'linh@sahakum.test', 'vi');
	await report(linh, threat, vi);
	await expect(linh.getByText(vi.report_sent_hidden)).toBeVisible();

	// Hidden from members and from the dialogue's other guest (Bình, seeded).
	await mai.goto(DIALOGUE);
	await expect(mai.getByRole('heading', { level: 1 })).toHaveText(DIALOGUE_TITLE);
	await expect(mai.locator('main')).not.toContainText(threat);
	const binh = await demo(browser, 'binh@sahakum.test', 'vi');
	await binh.goto(DIALOGUE);
	await expect(binh.getByRole('heading', { level: 1 })).toHaveText(DIALOGUE_TITLE);
	await expect(binh.locator('main')).not.toContainText(threat);

	// The convener reviews it in the moderation queue: three reports, not who made them (facilitators only).
	const hoa = await demo(browser, 'hoa@sahakum.test', 'vi');
	await hoa.goto(DIALOGUE);
	await hoa.locator('.convener').getByRole('link', { name: vi.moderation_title }).click();
	const item = hoa.locator('article.reported', { hasText: threat });
	await expect(item).toBeVisible();
	await expect(item).toContainText(vi.moderation_hidden);
	await expect(item).toContainText(landlordName);
	await expect(item.locator('.reports li')).toHaveCount(3);
	await expect(item.locator('.reports')).toContainText(vi.report_reason_harassment);
	for (const reporter of ['Lê Thị Mai', 'Anna Berg', 'Nguyễn Thị Linh']) {
		await expect(item).not.toContainText(reporter);
	}
	// Every choice keeps a full-size button, even when its words wrap on a phone.
	for (const choice of await item.locator('.choice input').all()) {
		expect((await choice.boundingBox())!.width).toBeGreaterThanOrEqual(19);
	}
	await hoa.screenshot({ path: test.info().outputPath('moderation-queue-vi-360.png'), fullPage: true });
	await item.getByLabel(vi.moderation_remove).check();
	await item.getByLabel(vi.moderation_person_mute).check();
	await expect(item.getByLabel(vi.moderation_mute_days)).toHaveValue('7');
	await item.getByLabel(vi.moderation_reason_label).fill(why);
	await item.getByRole('button', { name: vi.moderation_decide }).click();
	await expect(hoa.getByText(vi.moderation_decided)).toBeVisible();
	await expect(hoa.locator('article.reported', { hasText: threat })).toHaveCount(0);

	// He is told on his home page what was decided and why.
	await landlord.goto('/');
	await landlord.locator('.notice a').click();
	const notices = landlord.locator('#notices');
	await expect(notices).toContainText(vi.notice_removed);
	await expect(notices).toContainText(before(vi.notice_muted));
	await expect(notices).toContainText(why);
	// He does not read the club itself: the notice has no empty name before its time.
	await expect(notices.locator('.meta').first()).not.toContainText('·');
	await landlord.screenshot({ path: test.info().outputPath('guest-notice-vi-360.png'), fullPage: true });

	// Back in the dialogue he reads, is told he is muted (not that the dialogue is closed), and has no form.
	await landlord.goto(DIALOGUE);
	await expect(landlord.getByRole('heading', { level: 1 })).toHaveText(DIALOGUE_TITLE);
	const note = landlord.getByRole('note');
	await expect(note).toContainText(before(vi.dialogue_moderation_muted));
	await expect(note).not.toContainText(vi.dialogue_closed_notice);
	await expect(note.getByRole('link', { name: vi.account_title })).toHaveAttribute(
		'href',
		'/account#notices'
	);
	await expect(landlord.locator('form.reply-form')).toHaveCount(0);
	// A reply sent anyway (as his phone's outbox would replay one) is refused with the same reason, not posted.
	const more = `Tôi chỉ muốn nói thêm một câu ${Date.now()}`;
	const replayed = await landlord.evaluate(
		async ({ url, body }) => {
			const form = new FormData();
			form.set('id', crypto.randomUUID());
			form.set('body', body);
			const response = await fetch(url, {
				method: 'POST',
				body: form,
				headers: { 'x-sveltekit-action': 'true', accept: 'application/json' }
			});
			return response.text();
		},
		{ url: `${DIALOGUE}?/reply`, body: more }
	);
	expect(replayed).toContain('"failure"');
	expect(replayed).toContain(vi.error_muted);
	await landlord.reload();
	await expect(landlord.locator('main')).not.toContainText(more);
	// Removed for everyone now, him included.
	await expect(landlord.locator('main')).not.toContainText(threat);
	await binh.goto(DIALOGUE);
	await expect(binh.locator('main')).not.toContainText(threat);

	// The audit log (facilitators only): hidden after the reports, removed and muted by Hoa, with her reason.
	await linh.goto(`/spaces/${CLUB_ID}/moderation/log`);
	const entry = (action: string) => linh.locator('ol.log > li', { hasText: action }).first();
	const hidden = entry(vi.audit_post_hidden);
	await expect(hidden).toContainText(vi.audit_by.replace('{name}', vi.audit_automatic));
	await expect(hidden).toContainText(vi.audit_concerning.replace('{name}', landlordName));
	await expect(hidden).toContainText(vi.audit_after_reports.replace('{count}', '3'));
	for (const action of [vi.audit_post_removed, vi.audit_author_muted]) {
		const row = entry(action);
		await expect(row).toContainText(vi.audit_by.replace('{name}', 'Trần Thị Hoa'));
		await expect(row).toContainText(vi.audit_concerning.replace('{name}', landlordName));
		await expect(row).toContainText(vi.audit_reason.replace('{reason}', why));
	}
});

test('a new member downloads her data, then deletes her account; her reply reads “a former member”', async ({
	browser
}) => {
	test.setTimeout(150_000);
	const name = `Srey Pov ${Date.now() % 100000}`;
	const email = uniqueEmail('leaving');
	const reply = `ខ្ញុំក៏ធ្វើការលើសម៉ោងដែរ ${Date.now()}`;

	// She signs up, reads in Khmer, joins the club by its code and replies.
	const pov = await newcomer(browser, name, 'km', email);
	await pov.goto('/join?code=KHAQUANG');
	await pov.getByRole('button', { name: km.join_submit }).click();
	await expect(pov).toHaveURL(new RegExp(`/spaces/${CLUB_ID}\\?welcome=1$`));
	await pov.goto(THREAD);
	await pov.locator('form.reply-form textarea[name=body]').fill(reply);
	await pov.locator('form.reply-form button[type=submit]').click();
	await expect(pov.locator('.post', { hasText: reply })).toContainText(name);

	// Download my data: prepared in the background, then one zip with her reply in it.
	await pov.goto('/account');
	await pov.getByRole('button', { name: km.export_request }).click();
	await expect(pov.getByText(km.export_requested)).toBeVisible();
	const link = pov.locator('li.export a[download]');
	await expect(async () => {
		await pov.goto('/account');
		await expect(link).toBeVisible({ timeout: 1_000 });
	}).toPass({ timeout: 60_000 });
	await expect(link).toContainText(before(km.export_download));
	const [download] = await Promise.all([pov.waitForEvent('download'), link.click()]);
	const files = unzipSync(new Uint8Array(readFileSync(await download.path())));
	const json = strFromU8(files['sahakum-my-data.json']);
	expect(json).toContain(reply);
	expect(json).toContain(name);

	// Delete my account (posts kept, signed "a former member").
	await pov.goto('/account');
	await pov.getByRole('link', { name: km.account_delete_link }).click();
	await pov.getByLabel(km.account_delete_password).fill('long enough password');
	await pov.getByLabel(km.account_delete_understood).check();
	await pov.getByRole('button', { name: km.account_delete_submit }).click();
	// Told it is done: the page clears the phone (as signing out does) and stays.
	await expect(pov).toHaveURL(/\/account-deleted\?cleared=1$/);
	await expect(pov.getByRole('heading', { level: 1 })).toHaveText(km.account_deleted_title);
	await expect(pov.getByText(km.account_deleted_body)).toBeVisible();

	// Signing in again fails, in her language.
	await pov.goto('/sign-in');
	await pov.locator('input[name=email]').fill(email);
	await pov.locator('input[name=password]').fill('long enough password');
	await pov.locator('main form button[type=submit]').click();
	await expect(pov.getByText(km.error_credentials)).toBeVisible();
	await expect(pov).toHaveURL(/\/sign-in/);

	// To the others, her reply stays, signed "a former member".
	const mai = await demo(browser, 'mai@sahakum.test', 'vi');
	await mai.goto(THREAD);
	const post = mai.locator('.post', { hasText: reply });
	await expect(post.locator('.post-head strong')).toHaveText(vi.post_former_member);
	await expect(mai.locator('main')).not.toContainText(name);
});
