// A dialogue from convening to the printed report, as the people concerned
// would live it on their phones: the Khai Quang club's leader (Hoa) convenes
// and invites a landlord and a labour union officer, who join in Vietnamese
// from their own phones; a member (Mai) raises an issue without her name; the
// landlord proposes, the proposal becomes his action due in two weeks; he
// reports it done with a photo; the leader's counts and report say so.
import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type BrowserContext, type Page } from './test';
import { signUp, uniqueEmail } from './helpers';

const vi = JSON.parse(readFileSync('messages/vi.json', 'utf8')) as Record<string, string>;
const km = JSON.parse(readFileSync('messages/km.json', 'utf8')) as Record<string, string>;
const CLUB = 'CLB Phụ nữ Khai Quang — Vĩnh Phúc';
const CLUB_ID = '10000000-0000-4000-a000-000000000001';
/** A real 1×1 PNG: the server checks that a "photo" is one. */
const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
	'base64'
);

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
	await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function phone(
	browser: Browser,
	locale: 'en' | 'vi' | 'km',
	javaScriptEnabled = true,
	serviceWorkers: 'allow' | 'block' = 'allow'
) {
	const context = await browser.newContext({
		viewport: { width: 360, height: 740 },
		isMobile: true,
		hasTouch: true,
		javaScriptEnabled,
		serviceWorkers
	});
	contexts.push(context);
	await context.addCookies([
		{ name: 'PARAGLIDE_LOCALE', value: locale, url: test.info().project.use.baseURL! }
	]);
	return context.newPage();
}

async function signIn(page: Page, email: string) {
	await page.goto('/sign-in');
	await page.locator('input[name=email]').fill(email);
	await page.locator('input[name=password]').fill('sahakum-demo');
	await page.locator('main form button.primary').click();
	await expect(page).not.toHaveURL(/sign-in/);
}

/** A new person signs up (the helper speaks English), then uses the app in Vietnamese. */
async function guestInVietnamese(browser: Browser, name: string) {
	const page = await phone(browser, 'en');
	await signUp(page, name, uniqueEmail('guest'));
	await page.getByRole('button', { name: 'Tiếng Việt' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
	return page;
}

async function join(page: Page, code: string, type: string, organisation: string, position: string) {
	await page.goto(`/dialogues/join?code=${code}`);
	await expect(page.getByText(vi.dialogue_join_invited.split('“')[0].trim(), { exact: false })).toBeVisible();
	await page.getByLabel(vi.dialogue_field_stakeholder).selectOption({ label: type });
	await page.getByLabel(vi.dialogue_field_organisation).fill(organisation);
	await page.getByLabel(vi.dialogue_field_position).fill(position);
	await page.getByRole('button', { name: vi.dialogue_join_submit }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Đối thoại về khu trọ Hoà Bình');
}

const inTwoWeeks = () => new Date(Date.now() + 14 * 86_400_000 + 7 * 3_600_000).toISOString().slice(0, 10);

test('convene, invite two stakeholders, an anonymous issue, a proposal becomes an action, done with a photo, counted and reported', async ({
	browser
}) => {
	test.setTimeout(150_000);
	// The leader convenes in Vietnamese.
	const leader = await phone(browser, 'vi');
	await signIn(leader, 'hoa@sahakum.test');
	await leader.goto(`/spaces/${CLUB_ID}/dialogues`);
	await leader.getByRole('link', { name: vi.dialogue_convene }).click();
	await leader.getByLabel(vi.dialogue_field_title).fill('Đối thoại về khu trọ Hoà Bình');
	await leader.getByLabel(vi.dialogue_field_purpose).fill('Giải quyết giá điện và giờ đóng cổng.');
	await leader.getByLabel(vi.dialogue_field_agenda).fill('Giá điện cao\nCổng khoá sớm');
	await leader.getByRole('button', { name: vi.dialogue_convene_submit }).click();
	await expect(leader.getByRole('heading', { level: 1 })).toHaveText('Đối thoại về khu trọ Hoà Bình');
	await expect(leader.locator('.agenda li')).toHaveText(['Giá điện cao', 'Cổng khoá sớm']);
	const dialogueUrl = new URL(leader.url()).pathname;
	await leader.locator('select[name=status]').selectOption('open');
	await leader.getByRole('button', { name: vi.dialogue_status_save }).click();
	await expect(leader.locator('.dialogue-head .tag')).toHaveText(vi.dialogue_status_open);

	await leader.goto(`${dialogueUrl}/guests`);
	await leader.getByRole('button', { name: vi.invite_create }).click();
	const code = (await leader.locator('.invite-code').first().getAttribute('aria-label'))!;
	expect(code).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);

	// A landlord and a union officer join from their own phones, in Vietnamese.
	const landlord = await guestInVietnamese(browser, 'Trịnh Chủ Trọ');
	await join(landlord, code, vi.stakeholder_landlord, 'Nhà trọ Hoà Bình', 'Chủ nhà');
	const union = await guestInVietnamese(browser, 'Đỗ Công Đoàn');
	await join(union, code, vi.stakeholder_labour_union, 'Công đoàn KCN Khai Quang', 'Cán bộ');

	// A member raises an issue as "a member of" the club.
	const member = await phone(browser, 'vi');
	await signIn(member, 'mai@sahakum.test');
	await member.goto(dialogueUrl);
	await member
		.getByLabel(vi.dialogue_reply_label)
		.fill('Cổng khoá lúc 22 giờ, em đi ca đêm về không vào được.');
	await member.locator('input[name=anonymous]').check();
	await member.getByRole('button', { name: vi.reply_submit }).click();
	const issue = member.locator('article.post', { hasText: 'Cổng khoá lúc 22 giờ' });
	await expect(issue).toContainText(vi.dialogue_anonymous_author.replace('{space}', CLUB));
	await issue.getByText(vi.outcome_mark_summary).click();
	await issue.locator('select[name=outcome]').selectOption('issue');
	await issue.getByRole('button', { name: vi.outcome_save }).click();
	await expect(issue.locator('.outcome')).toHaveText(vi.outcome_issue);

	// The landlord sees the issue, never the member's name.
	await landlord.reload();
	const seen = landlord.locator('article.post', { hasText: 'Cổng khoá lúc 22 giờ' });
	await expect(seen).toContainText(vi.dialogue_anonymous_author.replace('{space}', CLUB));
	await expect(landlord.locator('main')).not.toContainText('Lê Thị Mai');
	// The union officer's badge is on their posts; the landlord proposes.
	await landlord.getByLabel(vi.dialogue_reply_label).fill('Tôi đề xuất mở cổng đến 23 giờ.');
	await landlord.getByRole('button', { name: vi.reply_submit }).click();
	const proposal = landlord.locator('article.post', { hasText: 'mở cổng đến 23 giờ' });
	await expect(proposal).toContainText(vi.stakeholder_landlord);
	await proposal.getByText(vi.outcome_mark_summary).click();
	await proposal.locator('select[name=outcome]').selectOption('proposal');
	await proposal.getByRole('button', { name: vi.outcome_save }).click();
	await expect(proposal.locator('.outcome')).toHaveText(vi.outcome_proposal);

	// The leader turns the proposal into an action for the landlord, due in two weeks.
	await leader.goto(dialogueUrl);
	await leader
		.locator('article.post', { hasText: 'mở cổng đến 23 giờ' })
		.getByRole('link', { name: vi.action_from_post })
		.click();
	await leader.getByLabel(vi.action_field_description).fill('Mở cổng khu trọ Hoà Bình đến 23 giờ');
	await expect(leader.getByLabel(vi.action_field_owner)).toHaveValue(/^guest:/);
	await leader.getByLabel(vi.action_field_due).fill(inTwoWeeks());
	await leader.getByRole('button', { name: vi.action_submit }).click();
	await expect(leader.getByRole('heading', { level: 1 })).toHaveText('Mở cổng khu trọ Hoà Bình đến 23 giờ');
	const actionUrl = new URL(leader.url()).pathname;

	// The landlord reports it done, with a photo.
	await landlord.goto(actionUrl);
	await landlord.getByLabel(vi.action_update_body).fill('Đã mở cổng đến 23 giờ từ thứ Hai.');
	await landlord.getByLabel(vi.action_update_status).selectOption('done');
	await landlord
		.getByLabel(vi.action_update_file)
		.setInputFiles({ name: 'cong.png', mimeType: 'image/png', buffer: PNG });
	await landlord.getByRole('button', { name: vi.action_update_submit }).click();
	await expect(landlord.locator('.facts')).toContainText(vi.action_status_done);
	await expect(landlord.locator('.history img')).toHaveCount(1);
	const photo = await landlord.request.get(
		(await landlord.locator('.history img').getAttribute('src')) as string
	);
	expect(photo.headers()['content-type']).toBe('image/png');
	// The union officer may read it but not report on the landlord's action.
	await union.goto(actionUrl);
	await expect(union.getByRole('heading', { level: 1 })).toHaveText('Mở cổng khu trọ Hoà Bình đến 23 giờ');
	await expect(union.getByRole('button', { name: vi.action_update_submit })).toHaveCount(0);

	// The leader's actions page counts it as done; the report lists it with its owner.
	await leader.goto(`/spaces/${CLUB_ID}/actions?dialogue=${dialogueUrl.split('/').pop()}`);
	await expect(leader.locator('.counts div', { hasText: vi.action_status_done }).locator('dd')).toHaveText(
		'1'
	);
	await leader.goto(`${dialogueUrl}/report`);
	const row = leader.locator('table tr', { hasText: 'Mở cổng khu trọ Hoà Bình đến 23 giờ' });
	await expect(row).toContainText('Trịnh Chủ Trọ');
	await expect(row).toContainText('Nhà trọ Hoà Bình');
	await expect(row).toContainText(vi.action_status_done);
	await expect(leader.locator('.report')).toContainText('Công đoàn KCN Khai Quang');
	await expect(leader.locator('.report')).not.toContainText('Lê Thị Mai');
	const csv = await leader.request.get(`${dialogueUrl}/actions.csv`);
	expect(await csv.text()).toContain('"Mở cổng khu trọ Hoà Bình đến 23 giờ"');
	await leader.emulateMedia({ media: 'print' });
	await expect(leader.locator('.app-header')).toBeHidden();

	// Key screens in Khmer, for a person to look at (test-results/).
	for (const [who, path, name] of [
		[leader, dialogueUrl, 'dialogue-leader'],
		[landlord, dialogueUrl, 'dialogue-landlord'],
		[landlord, actionUrl, 'action-landlord'],
		[leader, `/spaces/${CLUB_ID}/actions`, 'actions-leader']
	] as const) {
		await who
			.context()
			.addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'km', url: new URL(who.url()).origin }]);
		await who.emulateMedia({ media: 'screen' });
		await who.goto(path);
		await expect(who.locator('html')).toHaveAttribute('lang', 'km');
		await who.screenshot({ path: test.info().outputPath(`${name}-km.png`), fullPage: true });
	}
	await expect(leader.getByRole('heading', { level: 1 })).toHaveText(km.actions_title);
});

test('without JavaScript a guest reads the dialogue and posts; the seeded guest sees no member names', async ({
	browser
}) => {
	const page = await phone(browser, 'vi', false);
	await signIn(page, 'binh@sahakum.test');
	await page.getByRole('link', { name: 'Đối thoại với chủ nhà trọ phường Khai Quang' }).click();
	await expect(page.locator('.agenda li')).toHaveCount(2);
	await expect(page.locator('main')).not.toContainText('Lê Thị Mai');
	await page.getByLabel(vi.dialogue_reply_label).fill('Tôi sẽ gặp Điện lực tuần sau.');
	await page.getByRole('button', { name: vi.reply_submit }).click();
	await expect(page.locator('article.post', { hasText: 'Điện lực tuần sau' })).toContainText(
		vi.stakeholder_landlord
	);
	// Nothing of the club itself: not its discussions, not its members.
	expect((await page.goto(`/spaces/${CLUB_ID}`))?.status()).toBe(404);
	expect((await page.goto(`/spaces/${CLUB_ID}/members`))?.status()).toBe(404);
	expect(
		(
			await page.goto(
				'/spaces/10000000-0000-4000-a000-000000000001/threads/20000000-0000-4000-a000-000000000001'
			)
		)?.status()
	).toBe(404);
});

test('the first guest of a preparing dialogue: the convener is asked to open it, the guest is told, and writes once it is open', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(120_000);
	// Hoa convenes, reading the app in Khmer (signing in switches to her profile's Vietnamese first).
	// Her phone has no service worker: on a loaded machine its cache (6 s network timeout) could
	// answer with the page as it was first fetched, in Vietnamese, before the language changed.
	const leader = await phone(browser, 'vi', true, 'block');
	await signIn(leader, 'hoa@sahakum.test');
	await leader.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'km', url: baseURL! }]);
	await leader.goto(`/spaces/${CLUB_ID}/dialogues`);
	await leader.getByRole('link', { name: km.dialogue_convene }).click();
	await leader.getByLabel(km.dialogue_field_title).fill('Đối thoại với Công ty May Khai Quang');
	await leader.getByLabel(km.dialogue_field_purpose).fill('Giờ làm thêm và ngày nghỉ.');
	await leader.getByRole('button', { name: km.dialogue_convene_submit }).click();
	await expect(leader.getByRole('heading', { level: 1 })).toHaveText('Đối thoại với Công ty May Khai Quang');
	await expect(leader.locator('.dialogue-head .tag')).toHaveText(km.dialogue_status_preparing);
	const dialogueUrl = new URL(leader.url()).pathname;

	// The first guest invite asks whether to open the dialogue now.
	await leader.goto(`${dialogueUrl}/guests`);
	const prompt = leader.getByRole('heading', { name: km.dialogue_open_prompt_title });
	await expect(prompt).toHaveCount(0);
	await leader.getByRole('button', { name: km.invite_create }).click();
	await expect(prompt).toBeVisible();
	const code = (await leader.locator('.invite-code').first().getAttribute('aria-label'))!;
	await leader.screenshot({ path: test.info().outputPath('guests-first-invite-km.png'), fullPage: true });

	// A company's representative joins in Vietnamese: she reads it, and is told when she can write.
	const guest = await guestInVietnamese(browser, 'Phan Thị Nhân Sự');
	await guest.goto(`/dialogues/join?code=${code}`);
	await guest.getByLabel(vi.dialogue_field_stakeholder).selectOption({ label: vi.stakeholder_company });
	await guest.getByLabel(vi.dialogue_field_organisation).fill('Công ty May Khai Quang');
	await guest.getByRole('button', { name: vi.dialogue_join_submit }).click();
	await expect(guest.getByRole('heading', { level: 1 })).toHaveText('Đối thoại với Công ty May Khai Quang');
	await expect(guest.getByRole('note')).toHaveText(vi.dialogue_guest_preparing);
	await expect(guest.locator('form.reply-form')).toHaveCount(0);
	await guest.screenshot({ path: test.info().outputPath('guest-preparing-vi.png'), fullPage: true });

	// The convener sees that a guest is waiting, and opens the dialogue from the guests page.
	await leader.goto(dialogueUrl);
	await expect(leader.locator('.waiting')).toContainText(km.dialogue_guests_waiting.replace('{count}', '1'));
	await leader.screenshot({ path: test.info().outputPath('convener-waiting-km.png'), fullPage: true });
	await leader.goto(`${dialogueUrl}/guests`);
	await leader.getByRole('button', { name: km.dialogue_open_now }).click();
	await expect(leader.getByRole('status').filter({ hasText: km.dialogue_opened })).toBeVisible();
	await expect(prompt).toHaveCount(0);

	// The guest writes now.
	await guest.reload();
	await guest.getByLabel(vi.dialogue_reply_label).fill('Công ty sẽ trả lời về giờ làm thêm trong tuần này.');
	await guest.getByRole('button', { name: vi.reply_submit }).click();
	await expect(guest.locator('article.post', { hasText: 'giờ làm thêm trong tuần này' })).toContainText(
		vi.stakeholder_company
	);
	// Opening the invite link again takes her into the dialogue, not to an error.
	await guest.goto(`/dialogues/join?code=${code}`);
	await expect(guest).toHaveURL(new RegExp(`${dialogueUrl}\\?already=1$`));
	await expect(guest.getByRole('status').filter({ hasText: vi.dialogue_already_in })).toBeVisible();
});
