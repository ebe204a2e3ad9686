// Khmer bold on a phone that has its own static Noto Sans Khmer. The app's
// @font-face prefers the phone's copy (local()) and falls back to its variable
// web font. What reproduces the bug is the real local() lookup: a Chromium
// whose fontconfig has Debian's static NotoSansKhmer-Regular.ttf (the file
// Android ships) installed, loading the production build's CSS. Serving a
// regular-only face by URL would test a copy of the rule, not the phone's path.
// With one face for weights 100–900 whose first source was the phone's regular
// file, bold Khmer was drawn with that file: as wide as regular to the pixel
// (the issue: 269.1 px both) and with as much ink. Split by weight, bold comes
// from the phone's bold file or from the web font: wider, and with thicker strokes.
import { chromium, expect, test, type Page } from './test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fontconfigWith, staticKhmerFonts, type KhmerFontFile } from './local-khmer-font';

const SAMPLE = 'សហគមន៍អ្នកអនុវត្តសម្រាប់ដៃគូដែលធ្វើការលើសិទ្ធិស្ត្រី';

/** Which font file Chromium drew a node's text with (DevTools' "Rendered fonts"). */
async function renderedFont(page: Page, selector: string) {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('DOM.enable');
	await cdp.send('CSS.enable');
	const { root } = await cdp.send('DOM.getDocument');
	const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
	const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
	await cdp.detach();
	const khmer = fonts.find((font) => font.familyName.includes('Khmer'));
	return { postScriptName: khmer?.postScriptName ?? '', webFont: khmer?.isCustomFont ?? false };
}

const installed: [string, KhmerFontFile[]][] = [
	['its regular file only', ['NotoSansKhmer-Regular.ttf']],
	['its regular and bold files', ['NotoSansKhmer-Regular.ttf', 'NotoSansKhmer-Bold.ttf']]
];

for (const [label, files] of installed) {
	test(`Khmer bold renders bolder than regular on a phone with ${label} of Noto Sans Khmer`, async ({
		baseURL
	}) => {
		const fonts = staticKhmerFonts();
		test.skip('missing' in fonts, 'missing' in fonts ? fonts.missing : '');
		if (!('dir' in fonts)) return;
		const work = mkdtempSync(join(tmpdir(), 'sahakum-khmer-font-'));
		const browser = await chromium.launch({
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
			env: { ...process.env, FONTCONFIG_FILE: fontconfigWith(work, fonts.dir, files) }
		});
		try {
			const page = await browser.newPage({ baseURL, viewport: { width: 360, height: 740 } });
			await page.goto('/sign-in');
			await page.locator('main').evaluate((main, text) => {
				const sample = document.createElement('p');
				sample.lang = 'km';
				sample.innerHTML = '<span id="regular"></span><br><b id="bold"></b>';
				sample.querySelector('#regular')!.textContent = text;
				sample.querySelector('#bold')!.textContent = text;
				main.append(sample);
			}, SAMPLE);
			await page.evaluate(async () => {
				await document.fonts.load('400 16px "Noto Sans Khmer"', 'ក');
				await document.fonts.load('700 16px "Noto Sans Khmer"', 'ក');
				await document.fonts.ready;
			});

			const width = (selector: string) =>
				page.locator(selector).evaluate((node) => node.getBoundingClientRect().width);
			const [regularWidth, boldWidth] = [await width('#regular'), await width('#bold')];
			// Noto Sans Khmer's bold is barely wider than its regular: thicker strokes
			// are what show. Ink: pixels the text covers when drawn at 40 px with the
			// page's fonts (a canvas resolves @font-face as the page does).
			const ink = (weight: number) =>
				page.evaluate(
					([text, weight]) => {
						const canvas = document.createElement('canvas');
						canvas.width = 1600;
						canvas.height = 120;
						const context = canvas.getContext('2d')!;
						context.font = `${weight} 40px "Noto Sans Khmer"`;
						context.fillText(text, 0, 80);
						const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
						let covered = 0;
						for (let i = 3; i < data.length; i += 4) if (data[i] > 127) covered++;
						return covered;
					},
					[SAMPLE, weight] as const
				);
			const [regularInk, boldInk] = [await ink(400), await ink(700)];
			const widths = `regular ${regularWidth} px wide, ${regularInk} px of ink; bold ${boldWidth} px wide, ${boldInk} px of ink`;

			// The situation of the bug: regular Khmer comes from the phone's own file.
			const regular = await renderedFont(page, '#regular');
			expect(regular, widths).toEqual({ postScriptName: 'NotoSansKhmer-Regular', webFont: false });
			// Bold comes from a bold file: the phone's, or the app's variable font.
			const bold = await renderedFont(page, '#bold');
			if (files.includes('NotoSansKhmer-Bold.ttf'))
				expect(bold, widths).toEqual({ postScriptName: 'NotoSansKhmer-Bold', webFont: false });
			else expect(bold, widths).toMatchObject({ webFont: true });
			expect(boldInk, widths).toBeGreaterThan(regularInk * 1.2);
			expect(boldWidth, widths).toBeGreaterThan(regularWidth);
		} finally {
			await browser.close();
			rmSync(work, { recursive: true, force: true });
		}
	});
}
