// The server's PDF export queue (issue 20, item 8), on the production server
// with its Chromium. The attack: one member asks for the same draft's PDF six
// times at once (before: one ran, one waited, and everyone else's export failed
// with "busy" until they were done). Now that member gets one PDF and "your PDF
// is still being made" for the rest, and another member's export, asked
// meanwhile, is made in its turn.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureChromium } from '../../scripts/chromium';
import { signInCookies, startBuiltApp, type BuiltApp } from './helpers/built-app';

const SPACE = '10000000-0000-4000-a000-000000000001'; // supabase/seed.sql: Hoa leads it, Mai is a member
let app: BuiltApp;
let hoa: string;
let mai: string;
let exportUrl: string;

const exportAs = async (cookie: string) => {
	const response = await fetch(exportUrl, { headers: { cookie } });
	const body = Buffer.from(await response.arrayBuffer());
	return { status: response.status, type: response.headers.get('content-type'), body };
};

beforeAll(async () => {
	app = await startBuiltApp({ CHROMIUM_PATH: process.env.CHROMIUM_PATH ?? ensureChromium() });
	[hoa, mai] = await Promise.all([
		signInCookies(app, 'hoa@sahakum.test'),
		signInCookies(app, 'mai@sahakum.test')
	]);
	const created = await fetch(`${app.appUrl}/spaces/${SPACE}/drafts/new`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: app.appUrl, accept: 'text/html', cookie: hoa },
		body: new URLSearchParams({ title: 'Đề xuất quỹ nhỏ', template: 'builtin:proposal', language: 'vi' })
	});
	await created.body?.cancel();
	const edit = created.headers.get('location') ?? '';
	expect(edit).toMatch(/\/drafts\/[0-9a-f-]{36}\/edit$/);
	exportUrl = `${app.appUrl}${edit.replace(/\/edit$/, '/export.pdf')}`;
}, 60_000);
afterAll(async () => {
	await app?.stop();
});

describe('server PDF export', () => {
	it('one member’s six exports at once do not make another member’s fail', { timeout: 90_000 }, async () => {
		const flood = Array.from({ length: 6 }, () => exportAs(mai));
		// Hoa asks while Mai's are being made (a Chromium export takes seconds).
		await new Promise((resolve) => setTimeout(resolve, 1000));
		const hers = await exportAs(hoa);
		expect(hers.status).toBe(200);
		expect(hers.type).toBe('application/pdf');
		expect(hers.body.subarray(0, 5).toString()).toBe('%PDF-');

		const mine = await Promise.all(flood);
		const statuses = mine.map((r) => r.status).sort();
		expect(statuses).toEqual([200, 429, 429, 429, 429, 429]);
		// Told in her language (Vietnamese, from her profile) why, not "busy".
		for (const refused of mine.filter((r) => r.status === 429)) {
			expect(refused.body.toString()).toContain('PDF của bạn vẫn đang được tạo');
		}
		// Hers done, she may export again.
		expect((await exportAs(mai)).status).toBe(200);
	});
});
