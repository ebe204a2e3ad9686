// "Download PDF": the draft's print page rendered by the server's Chromium
// (CHROMIUM_PATH) with playwright-core, as the person (their cookies), one
// export at a time. Without a Chromium the button is not shown and people use
// their browser's Print → Save as PDF on the same page. (pdfkit, pdfmake and
// pdf-lib break Khmer syllables; Chromium shapes Khmer like the page does.)
import type { Cookies } from '@sveltejs/kit';

let running: Promise<unknown> = Promise.resolve();
let waiting = 0;

export const serverPdfAvailable = () => !!process.env.CHROMIUM_PATH;

/** The PDF of `url`, or null when two exports are already waiting. */
export async function renderPdf(url: URL, cookies: Cookies): Promise<Buffer | null> {
	if (waiting >= 2) return null;
	waiting++;
	const turn = running.then(async () => {
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
	running = turn.catch(() => undefined);
	try {
		return await turn;
	} finally {
		waiting--;
	}
}
