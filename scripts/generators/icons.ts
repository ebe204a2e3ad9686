// `npx tsx scripts/generators/icons.ts`: renders the PNG app icons from the SVGs in
// static/icons with Chromium. Run after changing an icon; the PNGs are committed.
import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { ensureChromium } from '../chromium';

const browser = await chromium.launch({ executablePath: ensureChromium(), args: ['--no-sandbox'] });
const page = await browser.newPage();
const jobs: [string, string, number][] = [
	['icon.svg', 'icon-192.png', 192],
	['icon.svg', 'icon-512.png', 512],
	['maskable.svg', 'maskable-512.png', 512]
];
for (const [source, target, size] of jobs) {
	const svg = readFileSync(`static/icons/${source}`, 'utf8');
	await page.setViewportSize({ width: size, height: size });
	await page.setContent(
		`<style>html,body{margin:0;background:transparent}svg{width:${size}px;height:${size}px;display:block}</style>${svg}`
	);
	await page.locator('svg').screenshot({ path: `static/icons/${target}`, omitBackground: true });
	console.log(`static/icons/${target}`);
}
await browser.close();
