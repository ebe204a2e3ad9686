// Co-drafting a proposal and its budget from two phones, in Khmer: Sokha
// (facilitator) and Dara (leader) of CoP-PwD edit the same draft, see each
// other's text and cursor live, the budget totals agree on both phones, Dara
// goes offline and both keep editing, and both end with the same document.
// Then the exports: the Word file carries the Khmer title in Noto Sans Khmer
// (embedded) with the complex-script font and km-KH set; the PDF made by the
// server's Chromium contains the title as text.
// A draft rebased (src/lib/drafts/rebase.ts) while a phone is offline: the
// phone's editor starts again on the new document and keeps what it typed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, untilQuiet, type Browser, type BrowserContext, type Page } from './test';
import { pdfText } from './pdf-text';
import { createClient } from '@supabase/supabase-js';
import ws from 'ws';
import { demoClient, stackUrl } from './helpers';
import * as Y from 'yjs';
import { fromBase64, toBase64 } from '../../src/lib/drafts/base64';
import { foldDraftLog, rebaseDraft } from '../../src/lib/drafts/compact.server';
import type { Database } from '../../src/lib/supabase/database.types';

const km = JSON.parse(readFileSync('messages/km.json', 'utf8')) as Record<string, string>;
const COP_PWD = '10000000-0000-4000-a000-000000000003';
const TITLE = 'សំណើគម្រោង ផ្លូវដើរសម្រាប់ជនមានពិការភាព';

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
	await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function phone(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext({
		viewport: { width: 360, height: 740 },
		isMobile: true,
		hasTouch: true
	});
	contexts.push(context);
	await context.addCookies([
		{ name: 'PARAGLIDE_LOCALE', value: 'km', url: test.info().project.use.baseURL! }
	]);
	const page = await context.newPage();
	await page.goto('/sign-in');
	await page.locator('input[name=email]').fill(email);
	await page.locator('input[name=password]').fill('sahakum-demo');
	await page.locator('main form button.primary').click();
	await expect(page).not.toHaveURL(/sign-in/);
	return page;
}

// The i-th section's text (counted among sections, as some may not be built yet).
const sectionText = (page: Page, i: number) => page.locator('.section-editor').nth(i).locator('.ProseMirror');
/** Each section's text, without the other people's cursor labels. The editor is ready before
 *  all its sections are: they are built one per task (drafts/editor/one-per-task.ts). */
const texts = async (page: Page) => {
	await expect(page.locator('.section-editor:not(:has(.ProseMirror))')).toHaveCount(0);
	return page.locator('.section-editor .ProseMirror').evaluateAll((editors) =>
		editors.map((editor) => {
			const copy = editor.cloneNode(true) as HTMLElement;
			copy.querySelectorAll('.ProseMirror-yjs-cursor').forEach((cursor) => cursor.remove());
			return copy.textContent;
		})
	);
};

async function typeIn(page: Page, i: number, text: string) {
	await sectionText(page, i).click();
	await page.keyboard.press('End');
	await page.keyboard.insertText(text);
}

test('two members co-edit a proposal and its budget, one offline for a while; Word and PDF carry the Khmer title', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const sokha = await phone(browser, 'sokha@sahakum.test');
	await sokha.goto(`/spaces/${COP_PWD}/drafts/new`);
	await sokha.getByLabel(km.draft_field_title).fill(TITLE);
	await sokha.getByRole('button', { name: km.draft_create }).click();
	await expect(sokha).toHaveURL(/\/edit$/);
	await expect(sokha.locator('[data-editor-ready]')).toBeVisible();
	const editUrl = new URL(sokha.url()).pathname;
	const draftUrl = editUrl.replace(/\/edit$/, '');

	const dara = await phone(browser, 'dara@sahakum.test');
	await dara.goto(`/spaces/${COP_PWD}/drafts`);
	await dara.getByRole('link', { name: TITLE }).click();
	// The log's first catch-up comes as bytes (src/lib/drafts/wire.ts), compressed like a page.
	const firstCatchUp = dara.waitForResponse(
		(response) =>
			response.url().endsWith('/sync') &&
			(response.headers()['content-type'] ?? '').startsWith('application/vnd.sahakum.draft-log')
	);
	await dara.getByRole('link', { name: km.draft_edit }).click();
	await expect(dara.locator('[data-editor-ready]')).toBeVisible();
	expect((await firstCatchUp).headers()['content-encoding']).toMatch(/^(br|gzip)$/);

	// Each sees the other's text live, and the other's cursor with their name.
	await typeIn(sokha, 0, 'ក្រុមយើងធ្វើការជាមួយជនមានពិការភាព។');
	await expect(sectionText(dara, 0)).toContainText('ក្រុមយើងធ្វើការជាមួយជនមានពិការភាព។');
	await typeIn(dara, 1, 'ផ្លូវដើរ ៣ ឃុំ');
	await expect(sectionText(sokha, 1)).toContainText('ផ្លូវដើរ ៣ ឃុំ');
	await expect(sokha.locator('.ProseMirror-yjs-cursor', { hasText: 'Chan Dara' })).toBeVisible();
	await expect(sokha.locator('.status')).toContainText('Chan Dara');

	// Dara, from a script with her own session, speaks on the draft's channel: a phantom update
	// with the next number, a flood of "stored" nudges, a cursor in Sokha's name. Only the database
	// speaks there: nobody applies any of it, and the real update with that number arrives.
	const forger = await demoClient('dara@sahakum.test');
	const draftId = draftUrl.split('/').pop()!;
	const channel = forger.channel(`draft:${draftId}`, { config: { private: true } });
	await new Promise<void>((resolve) => channel.subscribe((status) => status === 'SUBSCRIBED' && resolve()));
	const { data: row } = await forger.from('drafts').select('head_seq').eq('id', draftId).single();
	const phantom = new Y.Doc();
	phantom.getArray('sections').insert(0, ['PHANTOM']);
	await channel.send({
		type: 'broadcast',
		event: 'update',
		payload: {
			id: crypto.randomUUID(),
			seq: Number(row!.head_seq) + 1,
			u: toBase64(Y.encodeStateAsUpdate(phantom))
		}
	});
	for (let i = 0; i < 20; i++) await channel.send({ type: 'broadcast', event: 'stored', payload: {} });
	await typeIn(sokha, 1, ' ពិត');
	await expect(sectionText(dara, 1)).toContainText('ផ្លូវដើរ ៣ ឃុំ ពិត');
	await expect(dara.locator('main')).not.toContainText('PHANTOM');
	await forger.removeAllChannels();

	// The budget: each fills a line; the totals agree on both phones.
	const line = (page: Page, group: number) =>
		page.locator('.budget-editor fieldset.group').nth(group).locator('.line').first();
	await line(sokha, 0).getByLabel(km.budget_description).fill('ជួលសាលប្រជុំ');
	await line(sokha, 0).getByLabel(km.budget_quantity).fill('2');
	await line(sokha, 0).getByLabel(km.budget_unit_cost).fill('150000');
	await line(sokha, 0).getByLabel(km.budget_unit_cost).press('Tab');
	await line(dara, 1).getByLabel(km.budget_quantity).fill('3');
	await line(dara, 1).getByLabel(km.budget_unit_cost).fill('50,000');
	await line(dara, 1).getByLabel(km.budget_unit_cost).press('Tab');
	await expect(sokha.locator('[data-grand-total]')).toContainText(/450[,.\u202f]?000/);
	await expect(dara.locator('[data-grand-total]')).toHaveText(
		(await sokha.locator('[data-grand-total]').textContent())!
	);
	// Not a number: said so, and left out of the totals.
	await line(dara, 2).getByLabel(km.budget_quantity).fill('បី');
	await line(dara, 2).getByLabel(km.budget_quantity).press('Tab');
	await expect(line(dara, 2).getByRole('alert')).toHaveText(km.budget_invalid_amount);
	await expect(dara.locator('[data-grand-total]')).toContainText(/450[,.\u202f]?000/);

	// Dara goes offline; both edit; back online, both converge.
	await untilQuiet(dara);
	await dara.context().setOffline(true);
	await dara.evaluate(() => window.dispatchEvent(new Event('offline')));
	await typeIn(dara, 0, ' [Dara ក្រៅបណ្ដាញ]');
	await expect(dara.locator('[data-sync-state=offline]')).toBeVisible({ timeout: 20_000 });
	await typeIn(sokha, 2, 'ជនមានពិការភាព ៦០ នាក់');
	await expect(sectionText(sokha, 0)).not.toContainText('[Dara ក្រៅបណ្ដាញ]');
	await dara.context().setOffline(false);
	await dara.evaluate(() => window.dispatchEvent(new Event('online')));
	await expect(sectionText(sokha, 0)).toContainText('[Dara ក្រៅបណ្ដាញ]', { timeout: 30_000 });
	await expect(sectionText(dara, 2)).toContainText('ជនមានពិការភាព ៦០ នាក់', { timeout: 30_000 });
	await expect(dara.locator('[data-sync-state=saved]')).toBeVisible({ timeout: 20_000 });
	await expect(sokha.locator('[data-sync-state=saved]')).toBeVisible();
	expect(await texts(dara)).toEqual(await texts(sokha));

	// The reading page has everything at once, before any compaction (the log read past the snapshot).
	await sokha.goto(draftUrl);
	await expect(sokha.getByRole('heading', { level: 1 })).toHaveText(TITLE);
	await expect(sokha.locator('main')).toContainText('[Dara ក្រៅបណ្ដាញ]');
	await expect(sokha.locator('[data-grand-total]')).toContainText(/450[,.\u202f]?000/);
	// Only the sections near the screen are laid out (a 50-page draft opens without laying out all
	// of it); printed, as the PDF export prints this view, every section is.
	const visibility = () =>
		sokha
			.locator('.draft-section')
			.first()
			.evaluate((section) => getComputedStyle(section).getPropertyValue('content-visibility'));
	expect(await visibility()).toBe('auto');
	await sokha.emulateMedia({ media: 'print' });
	expect(await visibility()).toBe('visible');
	await sokha.emulateMedia({ media: null });

	// Word: the Khmer title in a run with the complex-script font and km-KH, the font embedded.
	const docx = await sokha.request.get(`${draftUrl}/export.docx`);
	expect(docx.headers()['content-type']).toContain('wordprocessingml');
	const dir = mkdtempSync(join(tmpdir(), 'draft-docx-'));
	const file = join(dir, 'draft.docx');
	writeFileSync(file, await docx.body());
	const xml = execFileSync('unzip', ['-p', file, 'word/document.xml']).toString('utf8');
	const titleRun = new RegExp(`<w:r><w:rPr>(?:(?!</w:rPr>).)*</w:rPr><w:t[^>]*>${TITLE}</w:t></w:r>`).exec(
		xml
	)?.[0];
	expect(titleRun).toBeTruthy();
	expect(titleRun).toContain('w:cs="Noto Sans Khmer"');
	expect(titleRun).toMatch(/<w:lang [^>]*w:bidi="km-KH"/);
	const fontTable = execFileSync('unzip', ['-p', file, 'word/fontTable.xml']).toString('utf8');
	expect(fontTable).toMatch(/w:name="Noto Sans Khmer"(?:(?!<\/w:font>).)*w:embedRegular/s);
	expect(execFileSync('unzip', ['-l', file]).toString()).toMatch(/word\/fonts\/.+\.odttf/);

	// PDF from the server's Chromium: the title is in its text.
	const pdf = await sokha.request.get(`${draftUrl}/export.pdf`);
	expect(pdf.status()).toBe(200);
	expect(pdf.headers()['content-type']).toBe('application/pdf');
	const text = pdfText(await pdf.body());
	expect(text.replace(/\s+/g, ' ')).toContain(TITLE);
});

test('signing out with draft changes kept only on this phone: warned first, then the phone keeps no draft', async ({
	browser
}) => {
	test.setTimeout(90_000);
	const sokha = await phone(browser, 'sokha@sahakum.test');
	await sokha.goto(`/spaces/${COP_PWD}/drafts/new`);
	await sokha.getByLabel(km.draft_field_title).fill('សំណើ សាកល្បងចាកចេញ');
	await sokha.getByRole('button', { name: km.draft_create }).click();
	await expect(sokha.locator('[data-editor-ready]')).toBeVisible();
	await sokha.waitForFunction(async () => {
		await navigator.serviceWorker.ready;
		return !!navigator.serviceWorker.controller;
	});
	await expect(sokha.locator('[data-sync-state=saved]')).toBeVisible({ timeout: 20_000 });

	// The server cannot be reached for the draft's changes: they stay on the phone.
	await sokha.route('**/drafts/*/sync**', (route) => route.abort());
	await typeIn(sokha, 0, 'អត្ថបទមិនទាន់ផ្ញើ');
	await expect(sokha.locator('[data-sync-state=offline]')).toBeVisible({ timeout: 20_000 });

	let warning = '';
	sokha.once('dialog', (dialog) => {
		warning = dialog.message();
		void dialog.dismiss();
	});
	const signOut = sokha.locator('form[action="/sign-out"] button');
	await signOut.click();
	expect(warning).toContain(km.drafts_sign_out_warning.replace('{count}', '1'));
	await expect(signOut).toBeVisible();

	sokha.once('dialog', (dialog) => void dialog.accept());
	await signOut.click();
	await expect(sokha).toHaveURL(/\/sign-in|\/$/);
	const left = await sokha.evaluate(async () => ({
		databases: (await indexedDB.databases()).map((database) => database.name ?? ''),
		marks: Object.keys(localStorage).filter((key) => key.startsWith('sahakum:draft-unsent:'))
	}));
	expect(left.databases.filter((name) => name.startsWith('sahakum-draft-'))).toEqual([]);
	expect(left.marks).toEqual([]);
});

test('a draft rebased while a phone is offline: its editor starts again on the new document and keeps what was typed offline', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const sokha = await phone(browser, 'sokha@sahakum.test');
	await sokha.goto(`/spaces/${COP_PWD}/drafts/new`);
	await sokha.getByLabel(km.draft_field_title).fill('សំណើ សាកល្បងការរៀបចំឡើងវិញ');
	await sokha.getByRole('button', { name: km.draft_create }).click();
	await expect(sokha.locator('[data-editor-ready]')).toBeVisible();
	await expect(sokha.locator('[data-sync-state=saved]')).toBeVisible({ timeout: 20_000 });
	const draftUrl = new URL(sokha.url()).pathname.replace(/\/edit$/, '');
	const draftId = draftUrl.split('/').pop()!;

	// Sokha's phone loses the network and she goes on typing.
	await untilQuiet(sokha);
	await sokha.context().setOffline(true);
	await sokha.evaluate(() => window.dispatchEvent(new Event('offline')));
	await typeIn(sokha, 1, ' [Sokha ក្រៅបណ្ដាញ]');
	await expect(sokha.locator('[data-sync-state=offline]')).toBeVisible({ timeout: 20_000 });

	// Meanwhile two people retype another section a character at a time (what makes a shared
	// draft's document grow past its text), then the compactor folds and rebases the quiet draft.
	const typists = await Promise.all([demoClient('dara@sahakum.test'), demoClient('sokha@sahakum.test')]);
	const caughtUp = await typists[0].rpc('draft_catch_up_at', { p_draft: draftId, p_epoch: 0 });
	expect(caughtUp.error).toBeNull();
	const start = caughtUp.data as { snapshot: string; updates: { data: string }[] }[];
	const docs = typists.map(() => {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, fromBase64(start[0].snapshot), 'sync');
		for (const u of start[0].updates) Y.applyUpdate(doc, fromBase64(u.data), 'sync');
		return doc;
	});
	const typed = docs.map((doc) => {
		const mine: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array, origin: unknown) => origin !== 'sync' && mine.push(u));
		return mine;
	});
	const exchange = () => {
		for (const a of docs)
			for (const b of docs)
				if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'sync');
	};
	const paragraphOf = (doc: Y.Doc) =>
		(doc.getArray<Y.Map<unknown>>('sections').get(2).get('body') as Y.XmlFragment).get(0) as Y.XmlElement;
	paragraphOf(docs[0]).insert(0, [new Y.XmlText('ក្រុម')]);
	exchange();
	for (let round = 0; round < 40; round++) {
		docs.forEach((doc, i) => {
			const text = paragraphOf(doc).get(0) as Y.XmlText;
			for (const char of ` មនុស្ស ${i} និយាយ`) text.insert(Math.floor((text.length * (i + 1)) / 3), char);
			text.delete(Math.max(0, text.length - 4), 3);
		});
		exchange();
	}
	for (const [i, client] of typists.entries()) {
		const pushed = await client.rpc('push_draft_update_at', {
			p_epoch: 0,
			p_id: crypto.randomUUID(),
			p_draft: draftId,
			p_update: toBase64(Y.mergeUpdates(typed[i])),
			p_scope: 'section:target'
		});
		expect(pushed.error).toBeNull();
	}
	const expected = String((paragraphOf(docs[0]).get(0) as Y.XmlText).toString());
	const compactor = createClient<Database>(stackUrl(), process.env.E2E_STACK_SECRET_KEY ?? '', {
		auth: { persistSession: false, autoRefreshToken: false },
		realtime: { transport: ws as never }
	});
	expect(await foldDraftLog(compactor, draftId)).toBe(true);
	expect((await rebaseDraft(compactor, draftId)).rebased).toBe(true);

	// Back online: the editor sees the new epoch, starts again on it, and sends what waited.
	await sokha.context().setOffline(false);
	await sokha.evaluate(() => window.dispatchEvent(new Event('online')));
	await expect(sectionText(sokha, 2)).toContainText(expected, { timeout: 30_000 });
	await expect(sectionText(sokha, 1)).toContainText('[Sokha ក្រៅបណ្ដាញ]');
	await expect(sokha.locator('[data-sync-state=saved]')).toBeVisible({ timeout: 20_000 });

	// Everyone else gets the same document: the reading page and a second phone.
	const dara = await phone(browser, 'dara@sahakum.test');
	await dara.goto(`${draftUrl}/edit`);
	await expect(dara.locator('[data-editor-ready]')).toBeVisible();
	await expect(sectionText(dara, 1)).toContainText('[Sokha ក្រៅបណ្ដាញ]');
	expect(await texts(dara)).toEqual(await texts(sokha));
	const { data: rebases } = await compactor.from('draft_rebases').select('epoch').eq('draft_id', draftId);
	expect(rebases).toEqual([{ epoch: 1 }]);
	// Sokha's phone now keeps the new document: after a reload it opens as it was, nothing twice.
	await sokha.reload();
	await expect(sokha.locator('[data-editor-ready]')).toBeVisible();
	await expect(sokha.locator('[data-sync-state=saved]')).toBeVisible({ timeout: 20_000 });
	expect(await texts(sokha)).toEqual(await texts(dara));
	await Promise.all(typists.map((client) => client.removeAllChannels()));
});
