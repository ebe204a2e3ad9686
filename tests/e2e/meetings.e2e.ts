// A club's notebook and ballot box (issue 25), on phones: Hoa starts a club
// of her own (so the demo club's roles stay as they are for the other tests)
// with Mai and Anna; she plans a meeting with three agenda items and a
// library handout; Mai and Anna answer from their own phones; the notice
// shows Hoa who has seen it; Hoa takes attendance offline and it arrives
// once; she writes minutes; the meeting history shows it; then an election
// with two candidates runs to a published result and the members page shows
// the new leader. Then the pages at 360 px in Vietnamese and Khmer, looked at
// as screenshots, and the meeting page printed.
import { mkdirSync } from 'node:fs';
import { expect, test, untilQuiet, type Browser, type BrowserContext, type Page } from './test';
import { demoClient } from './helpers';

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
	await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function phone(browser: Browser, email: string, locale: 'en' | 'vi' | 'km' = 'en') {
	const context = await browser.newContext({
		viewport: { width: 360, height: 740 },
		isMobile: true,
		hasTouch: true
	});
	contexts.push(context);
	await context.addCookies([
		{ name: 'PARAGLIDE_LOCALE', value: locale, url: test.info().project.use.baseURL! }
	]);
	const page = await context.newPage();
	await page.goto('/sign-in');
	await page.locator('input[name=email]').fill(email);
	await page.locator('input[name=password]').fill('sahakum-demo');
	await page.locator('main form button.primary').click();
	await expect(page).not.toHaveURL(/sign-in/);
	// Signing in applies the profile's own language (Hoa's is Vietnamese): the
	// language this test reads in is set again after it.
	await context.addCookies([
		{ name: 'PARAGLIDE_LOCALE', value: locale, url: test.info().project.use.baseURL! }
	]);
	return page;
}

/** A datetime-local value `minutes` from now, in the browser's own zone. */
const localIn = (page: Page, minutes: number) =>
	page.evaluate((m) => {
		const d = new Date(Date.now() + m * 60_000);
		const p = (n: number) => String(n).padStart(2, '0');
		return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
	}, minutes);

let spaceId = '';
let meetingUrl = '';
let startsAt = 0;

test('a meeting from planning to the notebook, then an election to a published result', async ({
	browser
}) => {
	test.setTimeout(360_000);
	// Set-up as Hoa herself (her own session): a club, an invite code, a handout in its library.
	const hoaApi = await demoClient('hoa@sahakum.test');
	spaceId = crypto.randomUUID();
	expect(
		(
			await hoaApi.from('spaces').insert({
				id: spaceId,
				kind: 'club',
				name: 'CLB Hoa Sen',
				created_by: (await hoaApi.auth.getUser()).data.user!.id
			})
		).error
	).toBeNull();
	const code =
		'HSEN' +
		String(Date.now() % 10_000)
			.replace(/[01]/g, '7')
			.padStart(4, '7');
	const invite = await hoaApi.from('space_invites').insert({
		space_id: spaceId,
		code,
		role: 'member',
		created_by: (await hoaApi.auth.getUser()).data.user!.id
	});
	expect(invite.error).toBeNull();
	expect(
		(
			await hoaApi.rpc('add_library_resource', {
				p_id: crypto.randomUUID(),
				p_title: 'Tờ rơi chế độ thai sản',
				p_space: spaceId,
				p_url: 'https://baohiemxahoi.gov.vn/'
			})
		).error
	).toBeNull();

	const hoa = await phone(browser, 'hoa@sahakum.test');
	const mai = await phone(browser, 'mai@sahakum.test');
	const anna = await phone(browser, 'anna@sahakum.test');
	for (const member of [mai, anna]) {
		await member.goto(`/join?code=${code}`);
		await member.getByRole('button', { name: 'Join' }).click();
		await expect(member).toHaveURL(new RegExp(`/spaces/${spaceId}`));
	}

	// Hoa plans the meeting: three agenda items with owners, the handout.
	await hoa.goto(`/spaces/${spaceId}`);
	await hoa.getByRole('link', { name: 'Meetings' }).click();
	await hoa.getByRole('link', { name: 'Plan a meeting' }).first().click();
	await hoa.getByLabel('Topic').fill('Quyền lợi thai sản');
	await hoa.getByLabel('Date and time').fill(await localIn(hoa, 3));
	await hoa.getByLabel('Place', { exact: true }).fill('Nhà văn hoá khu trọ');
	await hoa.getByLabel('Agenda item 1').fill('Điểm danh');
	await hoa.getByLabel('Agenda item 2').fill('Chế độ thai sản');
	await hoa.getByLabel('Agenda item 3').fill('Việc tháng tới');
	await hoa.locator('#owner-1').selectOption({ label: 'Lê Thị Mai' });
	await hoa.getByLabel('Tờ rơi chế độ thai sản').check();
	startsAt = Date.now() + 3 * 60_000;
	await hoa.getByRole('button', { name: 'Plan and tell members' }).click();
	await expect(hoa.getByRole('heading', { level: 1 })).toHaveText('Quyền lợi thai sản');
	meetingUrl = new URL(hoa.url()).pathname;
	await expect(hoa.getByRole('heading', { name: 'Chế độ thai sản — Lê Thị Mai' })).toBeVisible();
	await expect(hoa.getByRole('link', { name: 'Tờ rơi chế độ thai sản' })).toBeVisible();
	await expect(hoa.getByText('Seen by 0 of 2')).toBeVisible();

	// Mai and Anna answer from their phones (the notice is in the discussions too).
	await mai.goto(`/spaces/${spaceId}`);
	await mai.getByRole('link', { name: /Next meeting: Quyền lợi thai sản/ }).click();
	await mai.getByRole('button', { name: 'Going', exact: true }).click();
	await expect(mai.getByText('Your answer: Going.')).toBeVisible();
	await anna.goto(meetingUrl);
	await anna.getByRole('button', { name: 'Maybe', exact: true }).click();
	await expect(anna.getByText('Your answer: Maybe.')).toBeVisible();
	// Members see no "seen by".
	await expect(anna.getByText(/Seen by/)).toHaveCount(0);

	await hoa.reload();
	await expect(hoa.getByText('Seen by 2 of 2')).toBeVisible();
	await expect(hoa.getByRole('img', { name: 'Going: 1' })).toBeVisible();
	await expect(hoa.getByRole('img', { name: 'Maybe: 1' })).toBeVisible();

	// Attendance in the meeting room without a network: the taps wait, then arrive once.
	await hoa.getByRole('link', { name: /Take attendance/ }).click();
	await expect(hoa.getByRole('heading', { level: 1 })).toHaveText('Take attendance');
	await untilQuiet(hoa);
	await hoa.context().setOffline(true);
	await hoa.getByRole('button', { name: /Lê Thị Mai/ }).click();
	await hoa.getByRole('button', { name: /Anna Berg/ }).click();
	// One mark on each tapped person (the outbox's own banner says it too, in other words).
	await expect(hoa.locator('button.mark').getByText('waiting to send')).toHaveCount(2);
	await hoa.context().setOffline(false);
	await expect(hoa.getByText('waiting to send')).toHaveCount(0, { timeout: 30_000 });
	await hoa.reload();
	await expect(hoa.getByText('2 of 3 members')).toBeVisible();
	const { data: marks } = await hoaApi
		.from('meeting_attendance')
		.select('user_id, present')
		.eq('meeting_id', meetingUrl.split('/').pop()!);
	expect(marks).toHaveLength(2);
	expect(marks!.every((m) => m.present)).toBe(true);

	// Minutes of the second item.
	await hoa.goto(meetingUrl);
	const minutes = hoa.getByLabel('Minutes: Chế độ thai sản');
	await minutes.fill('Nghỉ 6 tháng, hưởng 100% lương đóng BHXH.');
	await minutes.locator('xpath=ancestor::form').getByRole('button', { name: 'Save the minutes' }).click();
	await expect(hoa.getByText('Saved.')).toBeVisible();

	// The election: Mai and Anna stand; Hoa opens voting; everyone votes; it closes and is published.
	await hoa.goto(`/spaces/${spaceId}/meetings/elections/new`);
	await hoa.getByLabel('Title').fill('Bầu trưởng nhóm 2027');
	await hoa.getByLabel('Voting opens').fill(await localIn(hoa, 60));
	await hoa.getByLabel('Voting closes').fill(await localIn(hoa, 24 * 60));
	await hoa.getByRole('button', { name: 'Call the election' }).click();
	await expect(hoa.getByRole('heading', { level: 1 })).toHaveText('Bầu trưởng nhóm 2027');
	const electionUrl = new URL(hoa.url()).pathname;
	for (const member of [mai, anna]) {
		await member.goto(electionUrl);
		await member.getByRole('button', { name: 'I stand as a candidate' }).click();
		await expect(member.getByRole('button', { name: 'Withdraw my candidacy' })).toBeVisible();
	}
	await hoa.reload();
	await hoa.getByRole('button', { name: 'Open voting now' }).click();
	await expect(hoa.getByText('0 of 3 members have voted')).toBeVisible();
	const vote = async (page: Page, choice: string) => {
		await page.goto(electionUrl);
		await page.getByLabel(choice).check();
		await page.getByRole('button', { name: 'Put my ballot in the box' }).click();
		await expect(page.getByText('You have voted.')).toBeVisible();
	};
	await vote(hoa, 'Lê Thị Mai');
	await vote(mai, 'Lê Thị Mai');
	// Before closing, nobody sees totals.
	await expect(anna.getByRole('heading', { name: 'Result' })).toHaveCount(0);
	await vote(anna, 'Anna Berg');
	await hoa.reload();
	await expect(hoa.getByText('3 of 3 members have voted')).toBeVisible();
	await hoa.getByRole('button', { name: 'Close voting now' }).click();
	await expect(hoa.getByRole('img', { name: 'Lê Thị Mai: 2' })).toBeVisible();
	await expect(hoa.getByRole('img', { name: 'Anna Berg: 1' })).toBeVisible();
	await hoa.getByRole('button', { name: 'Publish the result' }).click();
	await expect(hoa.getByText('Elected: Lê Thị Mai')).toBeVisible();
	await hoa.goto(`/spaces/${spaceId}/members`);
	const maiRow = hoa.locator('.member', { hasText: 'Lê Thị Mai' });
	await expect(maiRow.locator('.tag')).toHaveText('Leader');

	// Once the meeting has begun it is in the notebook, with its attendance.
	await hoa.waitForTimeout(Math.max(0, startsAt + 5_000 - Date.now()));
	await hoa.goto(`/spaces/${spaceId}/meetings`);
	const history = hoa.locator('section', {
		has: hoa.getByRole('heading', { name: 'Notebook: past meetings' })
	});
	await expect(history.getByRole('link', { name: 'Quyền lợi thai sản' })).toBeVisible();
	await expect(history.getByText('2 present')).toBeVisible();
	await expect(history.getByRole('img', { name: /Attendance at each meeting/ })).toBeVisible();
});

test('meetings pages at 360 px in Vietnamese and Khmer, and the meeting page printed', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const dir = 'test-results/meetings-screens';
	mkdirSync(dir, { recursive: true });
	const club = '10000000-0000-4000-a000-000000000001';
	const past = '20000000-0000-4000-a000-000000000020';
	const next = '20000000-0000-4000-a000-000000000021';
	for (const locale of ['vi', 'km'] as const) {
		const page = await phone(browser, 'hoa@sahakum.test', locale);
		for (const [name, path] of [
			['list', `/spaces/${club}/meetings`],
			['meeting', `/spaces/${club}/meetings/${next}`],
			['past', `/spaces/${club}/meetings/${past}`],
			['attendance', `/spaces/${club}/meetings/${past}/attendance`],
			['plan', `/spaces/${club}/meetings/new`]
		] as const) {
			await page.goto(path);
			await expect(page.locator('h1')).toBeVisible();
			// Nothing wider than the phone, no text under 14 px, controls at least 44 × 44.
			const report = await page.evaluate(() => {
				const tooWide = document.documentElement.scrollWidth > window.innerWidth + 1;
				const small: string[] = [];
				const tiny: string[] = [];
				for (const el of document.querySelectorAll<HTMLElement>('main *')) {
					const style = getComputedStyle(el);
					const rect = el.getBoundingClientRect();
					if (!rect.width || style.visibility === 'hidden' || style.display === 'none') continue;
					const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent?.trim());
					if (ownText && parseFloat(style.fontSize) < 14 && !el.closest('.tag'))
						small.push(`${el.tagName}.${el.className}: ${el.textContent?.trim().slice(0, 30)}`);
					if (
						el.matches(
							'button, a.button, select, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), summary'
						) &&
						(rect.height < 44 || rect.width < 44)
					)
						tiny.push(
							`${el.tagName} ${el.textContent?.trim().slice(0, 20)} ${Math.round(rect.width)}x${Math.round(rect.height)}`
						);
				}
				return { tooWide, small, tiny, body: parseFloat(getComputedStyle(document.body).fontSize) };
			});
			expect(report.tooWide, `${locale} ${name} scrolls sideways`).toBe(false);
			expect(report.body).toBeGreaterThanOrEqual(16);
			expect(report.small, `${locale} ${name}: text under 14 px`).toEqual([]);
			expect(report.tiny, `${locale} ${name}: controls under 44 px`).toEqual([]);
			await page.screenshot({ path: `${dir}/${locale}-${name}.png`, fullPage: true });
		}
		await page.goto(`/spaces/${club}/meetings/${past}`);
		await page.emulateMedia({ media: 'print' });
		await expect(page.getByRole('button', { name: /🖨/ })).toBeHidden();
		await page.emulateMedia({ media: 'screen' });
	}
	// The printed notebook page (Chromium's PDF of the print layout).
	const page = await phone(browser, 'hoa@sahakum.test', 'vi');
	await page.goto(`/spaces/${club}/meetings/${past}`);
	await expect(page.getByRole('button', { name: /🖨/ })).toBeVisible();
	await page.screenshot({ path: `${dir}/vi-print-button.png` });
	const pdf = await page.pdf({ format: 'A4' });
	expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
	mkdirSync(dir, { recursive: true });
	await import('node:fs').then((fs) => fs.writeFileSync(`${dir}/vi-meeting.pdf`, pdf));
});
