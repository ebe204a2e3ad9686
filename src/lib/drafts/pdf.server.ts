// "Download PDF": the draft's print page rendered by the server's Chromium
// (CHROMIUM_PATH) with playwright-core, as the person (their cookies). One
// Chromium at a time for the whole server; each person has at most one export
// made or waiting, and at most 8 people wait (src/lib/server/fair-queue.ts), so
// one person asking again and again never makes anyone else's fail. Without a
// Chromium the button is not shown and people use their browser's Print → Save
// as PDF on the same page. (pdfkit, pdfmake and pdf-lib break Khmer syllables;
// Chromium shapes Khmer like the page does.)
import type { Cookies } from '@sveltejs/kit';
import { fairQueue, type QueueRefusal } from '$lib/server/fair-queue';

const exports = fairQueue({ concurrency: 1, maxWaiting: 8 });

export const serverPdfAvailable = () => !!process.env.CHROMIUM_PATH;

/** The PDF of `url` made for `person`, or why not: theirs is still being made, or too many wait. */
export async function renderPdf(
	url: URL,
	cookies: Cookies,
	person: string
): Promise<{ pdf: Buffer } | { refused: QueueRefusal }> {
	const outcome = await exports.run(person, async () => {
		const { chromium } = await import('playwright-core');
		const browser = await chromium.launch({
			executablePath: process.env.CHROMIUM_PATH,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-dev-shm-usage',
				'--no-first-run',
				'--disable-background-networking'
			]
		});
		try {
			const context = await browser.newContext({ javaScriptEnabled: false });
			await context.addCookies(cookies.getAll().map(({ name, value }) => ({ name, value, url: url.origin })));
			const page = await context.newPage();
			await page.goto(url.href, { waitUntil: 'networkidle', timeout: 30_000 });
			await page.evaluate(() => document.fonts.ready.then(() => undefined));
			return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
		} finally {
			await browser.close();
		}
	});
	return 'value' in outcome ? { pdf: outcome.value } : outcome;
}
