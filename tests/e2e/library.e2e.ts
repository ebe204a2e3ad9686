// The shared library: a facilitator (a curator of the network's library)
// uploads a PDF handbook and a recorded explanation with Vietnamese and Khmer
// titles and attaches the handbook to a club thread; a member sees it there, finds the handbook by searching without accents, saves it
// for offline and opens it with the network off.
import { expect, test, untilQuiet, type Browser, type BrowserContext, type Page } from './test';

const SPACE = '10000000-0000-4000-a000-000000000001';
const THREAD = '20000000-0000-4000-a000-000000000001';

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
	await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function signedIn(
	browser: Browser,
	email: string,
	options: { javaScriptEnabled?: boolean } = {}
): Promise<{ page: Page; context: BrowserContext }> {
	const context = await browser.newContext({ viewport: { width: 360, height: 740 }, ...options });
	contexts.push(context);
	const page = await context.newPage();
	await page.goto('/sign-in');
	await page.locator('input[name=email]').fill(email);
	await page.locator('input[name=password]').fill('sahakum-demo');
	await page.locator('main form button[type=submit]').click();
	await expect(page).not.toHaveURL(/sign-in/);
	return { page, context };
}

/** A small but real one-page PDF. */
function pdfHandbook(): Buffer {
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

/** Half a second of a quiet tone as a WAV file. */
function wavRecording(): Buffer {
	const rate = 8000;
	const samples = rate / 2;
	const data = Buffer.alloc(samples * 2);
	for (let i = 0; i < samples; i++)
		data.writeInt16LE(Math.round(2000 * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2);
	const header = Buffer.alloc(44);
	header.write('RIFF', 0);
	header.writeUInt32LE(36 + data.length, 4);
	header.write('WAVEfmt ', 8);
	header.writeUInt32LE(16, 16);
	header.writeUInt16LE(1, 20);
	header.writeUInt16LE(1, 22);
	header.writeUInt32LE(rate, 24);
	header.writeUInt32LE(rate * 2, 28);
	header.writeUInt16LE(2, 32);
	header.writeUInt16LE(16, 34);
	header.write('data', 36);
	header.writeUInt32LE(data.length, 40);
	return Buffer.concat([header, data]);
}

async function addFile(
	page: Page,
	title: string,
	language: 'vi' | 'km',
	file: { name: string; mimeType: string; buffer: Buffer }
) {
	await page.goto('/library');
	const form = page.locator('form.library-form');
	await form.locator('input[name=title]').fill(title);
	await form.locator(`input[name=languages][value=${language}]`).check();
	await form.locator('input[name=file]').setInputFiles(file);
	await form.locator('button[type=submit]').click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
}

test('a handbook and a recording go into the shared library; a member finds the handbook without accents and opens it offline', async ({
	browser
}) => {
	const linh = await signedIn(browser, 'linh@sahakum.test');
	await addFile(linh.page, 'Sổ tay quyền lao động cho nữ công nhân', 'vi', {
		name: 'so-tay-quyen-lao-dong.pdf',
		mimeType: 'application/pdf',
		buffer: pdfHandbook()
	});
	// Attached to the club's December meeting thread, where members will see it.
	await linh.page.locator('select[name=thread_id]').selectOption(THREAD);
	await linh.page.locator('form[action="?/attach"] button[type=submit]').click();
	await expect(linh.page.locator('#attach-heading + ul')).toContainText('Họp tháng 12');
	await addFile(linh.page, 'ការពន្យល់អំពីសុខភាព ជាសំឡេង', 'km', {
		name: 'health-explained.wav',
		mimeType: 'audio/wav',
		buffer: wavRecording()
	});
	// The recording plays in the page (a player, not a download).
	await expect(linh.page.locator('audio')).toHaveCount(1);

	const mai = await signedIn(browser, 'mai@sahakum.test');
	await mai.page.goto(`/spaces/${SPACE}/threads/${THREAD}`);
	await expect(mai.page.locator('.thread-attachments')).toContainText(
		'Sổ tay quyền lao động cho nữ công nhân'
	);
	await mai.page.goto('/library');
	await mai.page.waitForFunction(
		async () => !!(await navigator.serviceWorker.getRegistration())?.active,
		null,
		{
			timeout: 20_000
		}
	);
	await mai.page.reload(); // now the service worker controls the page
	await mai.page.locator('input[name=q]').fill('so tay quyen lao dong');
	await mai.page.locator('form[role=search] button[type=submit]').click();
	const found = mai.page.locator('.library-item');
	await expect(found).toHaveCount(1);
	await expect(found).toContainText('Sổ tay quyền lao động cho nữ công nhân');
	await found.getByRole('link').first().click();
	await expect(mai.page.getByRole('heading', { level: 1 })).toHaveText(
		'Sổ tay quyền lao động cho nữ công nhân'
	);

	// The size is shown before anything is downloaded; then keep it on the phone.
	await expect(mai.page.locator('.library-file-name')).toHaveText('so-tay-quyen-lao-dong.pdf');
	await mai.page.locator('.library-file-actions button').click();
	await expect(mai.page.locator('.offline-saved')).toBeVisible();
	const fileHref = await mai.page.locator('.library-file-actions a').first().getAttribute('href');
	const resourceUrl = mai.page.url();

	await untilQuiet(mai.page);
	await mai.context.setOffline(true);
	await mai.page.goto(resourceUrl);
	await expect(mai.page.getByRole('heading', { level: 1 })).toHaveText(
		'Sổ tay quyền lao động cho nữ công nhân'
	);
	const opened = await mai.page.evaluate(async (href) => {
		const response = await fetch(href!);
		const bytes = new Uint8Array(await response.arrayBuffer());
		return {
			status: response.status,
			type: response.headers.get('content-type'),
			start: String.fromCharCode(...bytes.slice(0, 5))
		};
	}, fileHref);
	expect(opened).toEqual({ status: 200, type: 'application/pdf', start: '%PDF-' });
});

test('a facilitator corrects a resource, takes it off a thread and deletes it for good', async ({
	browser
}) => {
	const linh = await signedIn(browser, 'linh@sahakum.test');
	const page = linh.page;
	await page.goto(`/spaces/${SPACE}/library`);
	const add = page.locator('form.library-form');
	// A file the library does not take is refused as soon as it is chosen, before any upload.
	await add.locator('input[name=file]').setInputFiles({
		name: 'setup.exe',
		mimeType: 'application/x-msdownload',
		buffer: Buffer.from('MZ')
	});
	await expect(add.locator('.file-chosen')).toContainText('setup.exe');
	await expect(add.locator('.file-picker .error')).toContainText('setup.exe');
	await add.locator('input[name=kind][value=link]').check();
	await add.locator('input[name=title]').fill('Hướng dẫn BHXH tự nguyện');
	await add.locator('input[name=url]').fill('https://baohiemxahoi.gov.vn/');
	await add.locator('button[type=submit]').click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hướng dẫn BHXH tự nguyện');

	// Passed on in a chat: no share sheet on this desktop Chromium, so the link is copied.
	await linh.context.grantPermissions(['clipboard-read', 'clipboard-write']);
	await page.locator('.share-row button').click();
	await expect(page.locator('.share-row + p[role=status]')).not.toBeEmpty();
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
		await page.locator('#share-link').inputValue()
	);
	expect(await page.locator('#share-link').inputValue()).toBe(page.url());

	// A typo in the title, a description added.
	await page.locator('.library-edit summary').click();
	const edit = page.locator('form[action="?/edit"]');
	await edit.locator('input[name=title]').fill('Hướng dẫn bảo hiểm xã hội tự nguyện');
	await edit.locator('textarea[name=description]').fill('Ai được tham gia, đóng bao nhiêu, hưởng gì.');
	await edit.locator('button[type=submit]').click();
	await expect(page.locator('.library-edit + p[role=status]')).toBeVisible();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hướng dẫn bảo hiểm xã hội tự nguyện');
	await expect(page.locator('.library-description')).toHaveText(
		'Ai được tham gia, đóng bao nhiêu, hưởng gì.'
	);

	await page.locator('select[name=thread_id]').selectOption(THREAD);
	await page.locator('form[action="?/attach"] button[type=submit]').click();
	await expect(page.locator('.library-attached')).toContainText('Họp tháng 12');
	await page.locator('form[action="?/detach"] button[type=submit]').click();
	await expect(page.locator('.library-attached')).toHaveCount(0);

	// Deleting asks for a ticked box first.
	await page.locator('.library-delete summary').click();
	const remove = page.locator('form[action="?/delete"]');
	await remove.locator('button[type=submit]').click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hướng dẫn bảo hiểm xã hội tự nguyện');
	await remove.locator('input[name=confirm]').check();
	await remove.locator('button[type=submit]').click();
	await expect(page).toHaveURL(new RegExp(`/spaces/${SPACE}/library$`));
	await expect(page.getByText('Hướng dẫn bảo hiểm xã hội tự nguyện')).toHaveCount(0);
	await page.goto(`/spaces/${SPACE}/threads/${THREAD}`);
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await expect(page.getByText('Hướng dẫn bảo hiểm xã hội tự nguyện')).toHaveCount(0);
});

test('without JavaScript a club leader uploads a PDF to the club library and corrects its title', async ({
	browser
}) => {
	const hoa = await signedIn(browser, 'hoa@sahakum.test', { javaScriptEnabled: false });
	const page = hoa.page;
	await page.goto(`/spaces/${SPACE}/library`);
	const add = page.locator('form.library-form');
	// No title: refused by the server, the chosen topic stays, nothing is stored.
	await add.locator('select[name=topic]').selectOption('club_life');
	await add.locator('input[name=file]').setInputFiles({
		name: 'checklist.pdf',
		mimeType: 'application/pdf',
		buffer: pdfHandbook()
	});
	await add.locator('input[name=title]').evaluate((input) => input.removeAttribute('required'));
	await add.locator('button[type=submit]').click();
	await expect(page.locator('form.library-form .field.invalid input[name=title]')).toBeVisible();
	await expect(page.locator('form.library-form select[name=topic]')).toHaveValue('club_life');
	await expect(page.locator('.library-item')).toHaveCount(1); // only the seeded link

	const form = page.locator('form.library-form');
	await form.locator('input[name=title]').fill('Check-list chuan bi buoi hop');
	await form.locator('input[name=file]').setInputFiles({
		name: 'checklist.pdf',
		mimeType: 'application/pdf',
		buffer: pdfHandbook()
	});
	await form.locator('button[type=submit]').click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check-list chuan bi buoi hop');
	await expect(page.locator('.library-file-name')).toHaveText('checklist.pdf');

	// The details form is folded in a <details>, which opens without JavaScript too.
	await page.locator('.library-edit summary').click();
	const edit = page.locator('form[action="?/edit"]');
	await edit.locator('input[name=title]').fill('Check-list chuẩn bị buổi họp');
	await edit.locator('button[type=submit]').click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check-list chuẩn bị buổi họp');
	const file = await page.request.get(
		(await page.locator('.library-file-actions a').first().getAttribute('href'))!
	);
	expect(file.status()).toBe(200);
	expect((await file.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
});

test('a big recording goes up in pieces and, after a dropped connection, only the missing piece is sent again', async ({
	browser
}) => {
	const linh = await signedIn(browser, 'linh@sahakum.test');
	const page = linh.page;
	const offsets: number[] = [];
	let dropped = false;
	// The network drops once, during the second piece.
	await page.route('**/storage/v1/upload/resumable/**', async (route) => {
		const request = route.request();
		if (request.method() === 'PATCH') {
			const offset = Number(request.headers()['upload-offset']);
			offsets.push(offset);
			if (offset > 0 && !dropped) {
				dropped = true;
				return route.abort('connectionreset');
			}
		}
		return route.continue();
	});
	const recording = Buffer.concat([wavRecording(), Buffer.alloc(7 * 1024 * 1024, 0)]);
	recording.writeUInt32LE(recording.length - 8, 4);
	recording.writeUInt32LE(recording.length - 44, 40);
	await addFile(page, 'Ghi âm buổi tập huấn an toàn lao động', 'vi', {
		name: 'tap-huan.wav',
		mimeType: 'audio/wav',
		buffer: recording
	});
	const piece = 6 * 1024 * 1024;
	expect(dropped).toBe(true);
	expect(offsets).toEqual([0, piece, piece]);
	await expect(page.locator('.library-file-name')).toHaveText('tap-huan.wav');
	const stored = await page.request.get(
		(await page.locator('.library-file-actions a').first().getAttribute('href'))!
	);
	expect(stored.status()).toBe(200);
	expect((await stored.body()).length).toBe(recording.length);
});

test('a program named like a PDF is refused with a clear message, with JavaScript and without', async ({
	browser
}) => {
	const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(2048, 0x90)]);
	for (const javaScriptEnabled of [true, false]) {
		const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled });
		const page = await context.newPage();
		await page.goto('/sign-in');
		await page.locator('input[name=email]').fill('mai@sahakum.test');
		await page.locator('input[name=password]').fill('sahakum-demo');
		await page.locator('main form button.primary').click();
		await expect(page).not.toHaveURL(/sign-in/);
		await page.goto(`/spaces/${SPACE}/library`);
		const add = page.locator('form.library-form');
		await add.locator('input[name=title]').fill('Hướng dẫn BHXH');
		await add.locator('input[name=file]').setInputFiles({
			name: 'huong-dan-bhxh.pdf',
			mimeType: 'application/pdf',
			buffer: exe
		});
		await add.locator('button[type=submit]').click();
		// Mai reads the app in Vietnamese (her profile's language).
		await expect(page.locator('form.library-form')).toContainText(
			'“huong-dan-bhxh.pdf” không đúng loại tệp như tên gọi'
		);
		await expect(page.locator('form.library-form input[name=title]')).toHaveValue('Hướng dẫn BHXH');
		await context.close();
	}
});
