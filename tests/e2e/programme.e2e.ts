// Programme figures (issue 27) as the people concerned would use them: a
// curator (Linh) makes a new account a programme officer; she sees the
// network's figures and one space's, with charts, in English and in Khmer,
// with JavaScript and without; she downloads the CSV and finds the page's
// figure in it; a facilitator (Linh, of the Khai Quang club) downloads the
// space's export, which holds the club's threads and not another space's.
// A member (Mai) saves a club file for offline while the network is gone for
// the app's record of it: it waits in her outbox, is sent when she is back
// online, and the officer's "library items saved offline" counts it.
import { readFileSync } from 'node:fs';
import { unzipSync, strFromU8 } from 'fflate';
import { expect, test, type Browser, type BrowserContext, type Page } from './test';
import { signInAsDemo, signUp, uniqueEmail } from './helpers';

const km = JSON.parse(readFileSync('messages/km.json', 'utf8')) as Record<string, string>;
const en = JSON.parse(readFileSync('messages/en.json', 'utf8')) as Record<string, string>;
const CLUB = 'CLB Phụ nữ Khai Quang — Vĩnh Phúc';
const CLUB_ID = '10000000-0000-4000-a000-000000000001';
const COP_WOMEN_ID = '10000000-0000-4000-a000-000000000002';
const PASSWORD = 'long enough password';

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
	await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function phone(browser: Browser, javaScriptEnabled = true) {
	const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled });
	contexts.push(context);
	return context.newPage();
}

async function signIn(page: Page, email: string) {
	await page.goto('/sign-in');
	await page.locator('input[name=email]').fill(email);
	await page.locator('input[name=password]').fill(PASSWORD);
	await page.locator('main form button[type=submit]').click();
	await expect(page).not.toHaveURL(/sign-in/);
}

/**
 * English on this phone only. The language buttons would also save the choice
 * in the demo person's profile, and the tests after this file expect each demo
 * person to read in their own language after signing in.
 */
async function readInEnglish(page: Page) {
	const url = test.info().project.use.baseURL!;
	await page.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'en', url }]);
	await page.reload();
}

/** Clicks a download link and returns the file's bytes. */
async function download(page: Page, link: ReturnType<Page['getByRole']>): Promise<Buffer> {
	const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
	return readFileSync(await file.path());
}

/** A CSV row's cells (the app quotes every cell). */
const cells = (line: string) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1].replace(/""/g, '"'));

test('a curator makes an officer, who sees figures and charts in English and Khmer, with and without JavaScript', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const officerEmail = uniqueEmail('officer');
	const officer = await phone(browser);
	await signUp(officer, 'Sophie Programme', officerEmail);
	// Not yet an officer: the figures are refused in words.
	await officer.goto('/programme');
	await expect(officer.getByRole('alert')).toHaveText(en.programme_error_not_allowed);

	const curator = await phone(browser);
	await signInAsDemo(curator, 'linh@sahakum.test');
	await readInEnglish(curator);
	await curator.goto('/');
	await curator.getByRole('link', { name: en.programme_officers_title }).click();
	await curator.getByLabel(en.programme_officers_email).fill(officerEmail);
	await curator.getByRole('button', { name: en.programme_officers_grant }).click();
	await expect(curator.getByRole('status')).toContainText(officerEmail);
	await expect(curator.locator('.officers')).toContainText(officerEmail);

	// The officer: the network's figures with charts.
	await officer.goto('/');
	await officer.getByRole('link', { name: en.programme_title }).click();
	await expect(officer.getByRole('heading', { level: 1 })).toHaveText(en.programme_title);
	// Messages, joined, and attendance at meetings per month.
	await expect(officer.locator('figure.chart svg')).toHaveCount(3);
	await expect(officer.getByRole('list', { name: `${en.programme_chart_posts}: the numbers` })).toBeVisible();
	const messages = (await officer
		.locator('section[aria-labelledby="family-discussions"] td[data-figure="posts"]')
		.textContent())!.trim();
	expect(Number(messages)).toBeGreaterThan(0);
	// Meetings (the family the meetings capability adds): the demo club's meeting held three weeks ago.
	const meetings = officer.locator('section[aria-labelledby="family-meetings"]');
	await expect(meetings.getByRole('heading', { level: 2 })).toHaveText(en.programme_family_meetings);
	await expect(meetings).toContainText(en.programme_how_meetings_held);
	const attendance = (await meetings.locator('td[data-figure="meeting_attendance"]').textContent())!.trim();
	expect(Number(attendance)).toBeGreaterThan(0);
	// No content: no message text, no member's name, no participant's note.
	await expect(officer.locator('main')).not.toContainText('Chị em dãy C');
	await expect(officer.locator('main')).not.toContainText('Lê Thị Mai');
	await expect(officer.locator('main')).not.toContainText('Họp tháng 12');

	// The CSV has the page's figure, in the reader's language, with a BOM.
	const csv = await download(officer, officer.getByRole('link', { name: en.programme_download_csv }));
	expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const lines = csv.toString('utf8').slice(1).split('\r\n');
	expect(cells(lines[0]).slice(0, 4)).toEqual([
		en.programme_csv_family,
		en.programme_csv_figure,
		en.programme_csv_part,
		en.programme_csv_total
	]);
	const row = lines.map(cells).find((c) => c[1] === en.programme_fig_posts && c[2] === '');
	expect(row?.[3]).toBe(messages);
	const attended = lines.map(cells).find((c) => c[1] === en.programme_fig_meeting_attendance && c[2] === '');
	expect(attended?.[3]).toBe(attendance);

	// One space's figures, with its charts.
	await officer.getByRole('link', { name: CLUB }).click();
	await expect(officer.getByRole('heading', { level: 1 })).toHaveText(en.programme_space_title);
	await expect(officer.locator('figure.chart svg')).toHaveCount(3);
	await expect(officer.locator('.stacked svg')).toHaveCount(1);

	// A period that makes no sense: said, and what was typed stays.
	await officer.getByLabel(en.programme_period_from).fill('2026-06-01');
	await officer.getByLabel(en.programme_period_to).fill('2026-03-01');
	await officer.getByRole('button', { name: en.programme_period_show }).click();
	await expect(officer.getByRole('alert')).toHaveText(en.programme_period_reversed);
	await expect(officer.getByLabel(en.programme_period_from)).toHaveValue('2026-06-01');

	// In Khmer.
	await officer.goto('/programme');
	await officer.getByRole('button', { name: 'ខ្មែរ' }).click();
	await expect(officer.getByRole('heading', { level: 1 })).toHaveText(km.programme_title);
	const kmCsv = await download(officer, officer.getByRole('link', { name: km.programme_download_csv }));
	expect(cells(kmCsv.toString('utf8').slice(1).split('\r\n')[0])[1]).toBe(km.programme_csv_figure);

	// Without JavaScript: the same pages, the same charts (drawn by the server).
	const plain = await phone(browser, false);
	await signIn(plain, officerEmail);
	await plain.goto('/programme');
	await expect(plain.getByRole('heading', { level: 1 })).toHaveText(km.programme_title);
	await expect(plain.locator('figure.chart svg')).toHaveCount(3);
	await plain.getByRole('link', { name: 'CoP-Women' }).click();
	await expect(plain.getByRole('heading', { level: 1 })).toHaveText(km.programme_space_title);
	await expect(plain.locator('figure.chart svg')).toHaveCount(3);

	// The space's export is its facilitators' only: the officer gets the reason.
	const refused = await plain.request.get(`/spaces/${COP_WOMEN_ID}/figures/export.zip`);
	expect(refused.status()).toBe(404);
	expect(await refused.text()).toBe(km.programme_error_export_not_allowed);
});

test("a facilitator downloads the space's export: its threads, not another space's; anonymous posts stay anonymous", async ({
	browser
}) => {
	const page = await phone(browser);
	await signInAsDemo(page, 'linh@sahakum.test');
	await readInEnglish(page);
	await page.goto(`/spaces/${CLUB_ID}`);
	await page.getByRole('link', { name: en.programme_space_nav }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(en.programme_space_title);
	const zip = unzipSync(
		new Uint8Array(await download(page, page.getByRole('link', { name: en.programme_download_export })))
	);
	expect(Object.keys(zip).sort()).toEqual([
		'README.txt',
		'actions.json',
		'dialogues.json',
		'library.json',
		'meetings.json',
		'posts.json',
		'space.json',
		'threads.json'
	]);
	const threads = JSON.parse(strFromU8(zip['threads.json'])) as { title: string }[];
	expect(threads.map((t) => t.title)).toContain('Họp tháng 12: quyền lợi bảo hiểm xã hội');
	expect(JSON.stringify(threads)).not.toContain('ការរៀបចំសំណើគម្រោង');
	const posts = JSON.parse(strFromU8(zip['posts.json'])) as {
		anonymous: boolean;
		author: string | null;
		author_id: string | null;
	}[];
	const anonymous = posts.filter((p) => p.anonymous);
	// The demo's anonymous post (other tests may add more): none names its writer.
	expect(anonymous.length).toBeGreaterThanOrEqual(1);
	for (const post of anonymous) expect(post).toMatchObject({ author: null, author_id: null });
	expect(strFromU8(zip['posts.json'])).not.toContain('ខ្ញុំអាចជួយផ្នែកថវិកាបាន');
	// A member of the space who is not its facilitator: no export (Anna is a member of this club).
	const member = await phone(browser);
	await signInAsDemo(member, 'anna@sahakum.test');
	const refused = await member.request.get(`/spaces/${CLUB_ID}/figures/export.zip`);
	expect(refused.status()).toBe(404);
});

/** A small but real one-page PDF. */
function pdfLeaflet(): Buffer {
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		'<< /Length 44 >>\nstream\nBT /F1 18 Tf 20 100 Td (Labour rights) Tj ET\nendstream',
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
	];
	let body = '%PDF-1.4\n';
	const offsets: number[] = [];
	objects.forEach((object, index) => {
		offsets.push(body.length);
		body += `${index + 1} 0 obj\n${object}\nendobj\n`;
	});
	const xref = body.length;
	body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
	body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(body, 'latin1');
}

test("a member saves a club file for offline through her outbox; the officer's figure counts it, hidden as fewer than 5", async ({
	browser
}) => {
	test.setTimeout(180_000);
	// An officer, made by the curator (Linh).
	const officerEmail = uniqueEmail('officer-saves');
	const officer = await phone(browser);
	await signUp(officer, 'Dara Programme', officerEmail);
	const linh = await phone(browser);
	await signInAsDemo(linh, 'linh@sahakum.test');
	await readInEnglish(linh);
	await linh.goto('/programme/officers');
	await linh.getByLabel(en.programme_officers_email).fill(officerEmail);
	await linh.getByRole('button', { name: en.programme_officers_grant }).click();
	await expect(linh.locator('.officers')).toContainText(officerEmail);

	// Nothing saved offline in the club yet.
	const saves = () => officer.locator('td[data-figure="library_saves"]');
	await officer.goto(`/programme/spaces/${CLUB_ID}`);
	await expect(saves()).toHaveText('0');
	await expect(officer.locator('section[aria-labelledby="family-library"]')).toContainText(
		en.programme_how_library_saves
	);

	// Linh puts a leaflet in the club's library.
	await linh.goto(`/spaces/${CLUB_ID}/library`);
	const form = linh.locator('form.library-form');
	await form.locator('input[name=title]').fill('Tờ rơi quyền lao động');
	await form.locator('input[name=languages][value=vi]').check();
	await form.locator('input[name=file]').setInputFiles({
		name: 'to-roi.pdf',
		mimeType: 'application/pdf',
		buffer: pdfLeaflet()
	});
	await form.locator('button[type=submit]').click();
	await expect(linh.getByRole('heading', { level: 1 })).toHaveText('Tờ rơi quyền lao động');
	const leaflet = new URL(linh.url()).pathname;

	// Mai saves it for offline; the network goes just then, so the record waits in her outbox.
	const mai = await phone(browser);
	await signInAsDemo(mai, 'mai@sahakum.test');
	await readInEnglish(mai);
	await mai.route('**/*saved_offline*', (route) => route.abort('internetdisconnected'));
	await mai.goto(leaflet);
	await mai.locator('.library-file-actions button').click();
	// The file is saved at once: it does not wait for the record.
	await expect(mai.locator('.offline-saved')).toBeVisible();
	await expect(mai.locator('.outbox-bar')).toBeVisible();
	await mai.goto('/outbox');
	await expect(mai.locator('main')).toContainText(en.outbox_saved_offline_waiting);
	await officer.reload();
	await expect(saves()).toHaveText('0');

	// Back online: the outbox sends it to the page's action, and it is counted (once).
	await mai.unroute('**/*saved_offline*');
	await mai.context().setOffline(true);
	await mai.context().setOffline(false);
	await expect(mai.locator('.outbox-bar')).toHaveCount(0, { timeout: 40_000 });
	await officer.reload();
	// One save in one month: fewer than 5, and no total gives it away.
	await expect(saves()).toHaveText(en.programme_fewer_than_5);
	const csv = await download(officer, officer.getByRole('link', { name: en.programme_download_csv }));
	const row = csv
		.toString('utf8')
		.slice(1)
		.split('\r\n')
		.map(cells)
		.find((c) => c[1] === en.programme_fig_library_saves && c[2] === '');
	expect(row?.[3]).toBe(en.programme_fewer_than_5);
	// The total and every month: the words or 0, never the count.
	expect(row?.slice(3, -1).every((value) => value === en.programme_fewer_than_5 || value === '0')).toBe(true);

	// In Khmer at 360 px: the figure and how it is counted.
	await officer.getByRole('button', { name: 'ខ្មែរ' }).click();
	await expect(saves()).toHaveText(km.programme_fewer_than_5);
	await officer
		.locator('section[aria-labelledby="family-library"]')
		.screenshot({ path: 'test-results/programme-library-saves-km.png' });
});
