// One cold page load on the harsh profile with real DevTools throttling (issue
// 24): 300 ms per request, 400 kbps both ways, CPU 6× slower, 360 px, empty
// cache, no service worker. Used by bench:pages.
// - ready: when the last script has arrived (resource timing, responseEnd) and
//   the last long task has ended (PerformanceObserver 'longtask', installed
//   before any of the page's scripts run), whichever is later;
// - TBT after paint: per long task, the part after the first contentful paint
//   beyond 50 ms, summed (Lighthouse's rule, without its TTI cut-off: every
//   task until the page is settled counts);
// - the scripts fetched (their bytes are counted by the caller) and requests;
// - editable (a page given an `editable` selector, the draft editor): when an
//   element matching it first appears, recorded by a MutationObserver.
// A load is settled when no request has been in flight for 3 s (idle-time
// imports start after `load`), at most 90 s after navigation.
import type { Browser } from '@playwright/test';
import type { SessionCookie } from './common';

export const HARSH = { latencyMs: 300, kbps: 400, cpu: 6, width: 360 } as const;

export interface ReadyRun {
	ready: number;
	editable: number | null;
	fcp: number;
	tbt: number;
	longest: number;
	scripts: string[];
	requests: number;
}

declare global {
	interface Window {
		__longTasks?: { start: number; end: number }[];
		__editableAt?: number;
	}
}

export async function measureReady(
	browser: Browser,
	url: string,
	cookies: SessionCookie[] = [],
	editable?: string
): Promise<ReadyRun> {
	const context = await browser.newContext({
		viewport: { width: HARSH.width, height: 740 },
		serviceWorkers: 'block'
	});
	try {
		if (cookies.length) await context.addCookies(cookies.map((c) => ({ ...c, url })));
		await context.addInitScript(() => {
			const tasks: { start: number; end: number }[] = (window.__longTasks = []);
			new PerformanceObserver((list) => {
				for (const entry of list.getEntries())
					tasks.push({ start: entry.startTime, end: entry.startTime + entry.duration });
			}).observe({ type: 'longtask', buffered: true });
		});
		if (editable)
			await context.addInitScript((selector: string) => {
				const seen = new MutationObserver(() => {
					if (!document.querySelector(selector)) return;
					window.__editableAt = performance.now();
					seen.disconnect();
				});
				seen.observe(document, { childList: true, subtree: true, attributes: true });
			}, editable);
		const page = await context.newPage();
		const cdp = await context.newCDPSession(page);
		await cdp.send('Network.enable');
		await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
		const bytesPerSecond = (HARSH.kbps * 1000) / 8;
		await cdp.send('Network.emulateNetworkConditions', {
			offline: false,
			latency: HARSH.latencyMs,
			downloadThroughput: bytesPerSecond,
			uploadThroughput: bytesPerSecond
		});
		await cdp.send('Emulation.setCPUThrottlingRate', { rate: HARSH.cpu });
		const inFlight = new Set<string>();
		let requests = 0;
		let lastActivity = Date.now();
		cdp.on('Network.requestWillBeSent', (e) => {
			if (!e.request.url.startsWith('http')) return;
			if (!inFlight.has(e.requestId)) requests++; // a redirect keeps its id
			inFlight.add(e.requestId);
			lastActivity = Date.now();
		});
		const done = (e: { requestId: string }) => {
			inFlight.delete(e.requestId);
			lastActivity = Date.now();
		};
		cdp.on('Network.loadingFinished', done);
		cdp.on('Network.loadingFailed', done);
		// A navigation under way makes evaluate throw: that is "not yet".
		const isEditable = () => page.evaluate(() => window.__editableAt !== undefined).catch(() => false);
		const started = Date.now();
		const response = await page.goto(url, { waitUntil: 'load', timeout: 90_000 });
		if (response?.status() !== 200) throw new Error(`${url} answered ${response?.status()}`);
		if (new URL(page.url()).pathname !== new URL(url).pathname)
			throw new Error(`${url} ended on ${page.url()}`);
		while (
			(inFlight.size || Date.now() - lastActivity < 3000 || (editable && !(await isEditable()))) &&
			Date.now() - started < 90_000
		) {
			await new Promise((r) => setTimeout(r, 100));
		}
		const figures = await page.evaluate(() => {
			const fcp =
				performance.getEntriesByName('first-contentful-paint')[0]?.startTime ??
				performance.getEntriesByType('paint')[0]?.startTime ??
				0;
			const scripts = performance
				.getEntriesByType('resource')
				.filter((entry) => /\.m?js$/.test(new URL(entry.name).pathname)) as PerformanceResourceTiming[];
			const tasks = window.__longTasks ?? [];
			const lastScript = Math.max(0, ...scripts.map((entry) => entry.responseEnd));
			const lastTask = Math.max(0, ...tasks.map((task) => task.end));
			return {
				ready: Math.max(lastScript, lastTask),
				editable: window.__editableAt ?? null,
				fcp,
				tbt: tasks.reduce((sum, task) => sum + Math.max(0, task.end - Math.max(task.start, fcp) - 50), 0),
				longest: Math.max(0, ...tasks.map((task) => task.end - task.start)),
				scripts: scripts.map((entry) => entry.name)
			};
		});
		return { ...figures, requests };
	} finally {
		await context.close();
	}
}
