// A meeting decision becomes an agreed action of a dialogue (issue 25), on a
// phone: Hoa starts a club of her own (so the demo club stays as it is for the
// other tests) with a meeting, its decisions and a dialogue with the landlord;
// Mai joins it as its leader and, from a decision, records it as an agreed
// action of that dialogue; the decision then links to it, and it is among the
// dialogue's agreed actions.
// Then the same screens at 360 px in Khmer, looked at as screenshots.
import { mkdirSync } from 'node:fs';
import { expect, test, type Browser, type BrowserContext } from './test';
import { demoClient } from './helpers';

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
	await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function phone(browser: Browser, email: string, locale: 'en' | 'vi' | 'km') {
	const context = await browser.newContext({
		viewport: { width: 360, height: 740 },
		isMobile: true,
		hasTouch: true
	});
	contexts.push(context);
	const cookie = { name: 'PARAGLIDE_LOCALE', value: locale, url: test.info().project.use.baseURL! };
	await context.addCookies([cookie]);
	const page = await context.newPage();
	await page.goto('/sign-in');
	await page.locator('input[name=email]').fill(email);
	await page.locator('input[name=password]').fill('sahakum-demo');
	await page.locator('main form button.primary').click();
	await expect(page).not.toHaveURL(/sign-in/);
	// Signing in applies the profile's own language: the test's is set again.
	await context.addCookies([cookie]);
	return page;
}

/** Hoa's own club with a meeting, two decisions and an open dialogue, made as Hoa (her own session). */
async function clubWithDecisions() {
	const hoaApi = await demoClient('hoa@sahakum.test');
	const hoaId = (await hoaApi.auth.getUser()).data.user!.id;
	const spaceId = crypto.randomUUID();
	expect(
		(
			await hoaApi
				.from('spaces')
				.insert({ id: spaceId, kind: 'club', name: 'CLB Sen Hồng', created_by: hoaId })
		).error
	).toBeNull();
	const meetingId = crypto.randomUUID();
	expect(
		(
			await hoaApi.rpc('plan_meeting', {
				p_id: meetingId,
				p_space: spaceId,
				p_topic: 'Tiền điện nước khu trọ',
				p_starts_at: new Date(Date.now() + 3 * 86_400_000).toISOString(),
				p_duration_minutes: 90,
				p_venue: 'Nhà văn hoá',
				p_notice: 'Họp CLB',
				p_agenda: [] as never
			})
		).error
	).toBeNull();
	const decisions = ['Đề nghị chủ nhà tính giá điện 3.500 đồng/số', 'Lắp đèn ở cổng sau'];
	for (const text of decisions) {
		const row = { id: crypto.randomUUID(), meeting_id: meetingId, text, created_by: hoaId };
		expect((await hoaApi.from('meeting_decisions').insert(row)).error).toBeNull();
	}
	const dialogueId = crypto.randomUUID();
	expect(
		(
			await hoaApi.rpc('convene_dialogue', {
				p_id: dialogueId,
				p_space: spaceId,
				p_title: 'Đối thoại với chủ nhà trọ',
				p_purpose: 'Giá điện nước',
				p_agenda: ['Giá điện'],
				p_language: 'vi'
			})
		).error
	).toBeNull();
	// An invite to lead the club (Mai takes it in the first test).
	const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
	const code = Array.from(
		crypto.getRandomValues(new Uint8Array(8)),
		(b) => alphabet[b % alphabet.length]
	).join('');
	const invite = { space_id: spaceId, code, role: 'leader' as const, created_by: hoaId };
	expect((await hoaApi.from('space_invites').insert(invite)).error).toBeNull();
	return { spaceId, meetingId, dialogueId, decisions, code };
}

test('the leader turns a meeting decision into an agreed action; it shows in the dialogue', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const { spaceId, meetingId, dialogueId, decisions, code } = await clubWithDecisions();
	// Mai joins Hoa's club as its leader: the leader records the action.
	const mai = await phone(browser, 'mai@sahakum.test', 'en');
	await mai.goto(`/join?code=${code}`);
	await mai.getByRole('button', { name: 'Join' }).click();
	await expect(mai).toHaveURL(new RegExp(`/spaces/${spaceId}`));
	await mai.goto(`/spaces/${spaceId}/meetings/${meetingId}`);
	const first = mai.locator('.decision', { hasText: decisions[0] });
	await first.getByRole('link', { name: 'Make it an agreed action in a dialogue' }).click();
	await expect(mai.getByRole('heading', { level: 1 })).toHaveText('An agreed action from a decision');
	// The space's one open dialogue is chosen already; the club is responsible, by a date.
	await expect(mai.getByLabel('In which dialogue')).toHaveValue(dialogueId);
	await mai.getByLabel('Responsible').selectOption('club');
	const due = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
	await mai.getByLabel(/Due date/).fill(due);
	await mai.getByRole('button', { name: 'Record the agreed action' }).click();

	// Back on the meeting: the decision links to its action, in its dialogue; no second offer.
	await expect(mai).toHaveURL(new RegExp(`/meetings/${meetingId}`));
	const link = first.getByRole('link', { name: 'See the agreed action in «Đối thoại với chủ nhà trọ»' });
	await expect(link).toBeVisible();
	await expect(first.getByRole('link', { name: 'Make it an agreed action in a dialogue' })).toHaveCount(0);
	await link.click();
	await expect(mai).toHaveURL(new RegExp(`/dialogues/${dialogueId}/actions/`));
	await expect(mai.getByText(decisions[0]).first()).toBeVisible();

	// The dialogue's agreed actions list it, once.
	await mai.goto(`/dialogues/${dialogueId}`);
	const actions = mai.locator('section', { has: mai.getByRole('heading', { name: 'Agreed actions (1)' }) });
	await expect(actions.getByText(decisions[0])).toHaveCount(1);

	// A second try (the page opened again by its address) goes back to the meeting, where the link is.
	const maiApi = await demoClient('mai@sahakum.test');
	const { data: decision } = await maiApi
		.from('meeting_decisions')
		.select('id')
		.eq('text', decisions[0])
		.eq('meeting_id', meetingId)
		.single();
	const decisionId = (decision as { id: string }).id;
	await mai.goto(`/spaces/${spaceId}/meetings/${meetingId}/decisions/${decisionId}/action`);
	await expect(mai).toHaveURL(new RegExp(`/meetings/${meetingId}#decisions`));
});

test('the decision-to-action screens at 360 px in Khmer', async ({ browser }) => {
	test.setTimeout(120_000);
	const dir = 'test-results/meeting-actions-screens';
	mkdirSync(dir, { recursive: true });
	const { spaceId, meetingId } = await clubWithDecisions();
	const hoa = await phone(browser, 'hoa@sahakum.test', 'km');
	await hoa.goto(`/spaces/${spaceId}/meetings/${meetingId}`);
	await hoa
		.locator('.decision')
		.first()
		.getByRole('link', { name: 'ធ្វើជាសកម្មភាពដែលបានព្រមព្រៀងក្នុងកិច្ចសន្ទនា' })
		.click();
	await expect(hoa.getByRole('heading', { level: 1 })).toHaveText('សកម្មភាពដែលបានព្រមព្រៀងពីការសម្រេចចិត្ត');
	const wide = () => hoa.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
	expect(await wide()).toBe(false);
	await hoa.screenshot({ path: `${dir}/km-decision-action.png`, fullPage: true });
	// Submitting without choosing who is responsible: the browser asks first; a past date is refused in Khmer.
	await hoa.locator('select[name=owner_choice]').selectOption('club');
	await hoa.locator('input[name=due_on]').evaluate((input: HTMLInputElement) => {
		input.removeAttribute('min');
		input.value = '2020-01-01';
	});
	await hoa.locator('main form button[type=submit]').click();
	await expect(hoa.locator('main .error, main [role=alert]').first()).toBeVisible();
	await hoa.screenshot({ path: `${dir}/km-decision-action-refused.png`, fullPage: true });
	await hoa.locator('input[name=due_on]').fill('');
	await hoa.locator('main form button[type=submit]').click();
	await expect(hoa).toHaveURL(new RegExp(`/meetings/${meetingId}`));
	await expect(
		hoa
			.locator('.decision')
			.first()
			.getByRole('link', { name: /មើលសកម្មភាព/ })
	).toBeVisible();
	expect(await wide()).toBe(false);
	await hoa.locator('#decisions').scrollIntoViewIfNeeded();
	await hoa.screenshot({ path: `${dir}/km-meeting-decisions.png`, fullPage: true });
});
