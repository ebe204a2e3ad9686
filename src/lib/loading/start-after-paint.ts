/**
 * Content first, scripts after (issue 14). Every page is rendered on the
 * server and works without JavaScript (links and forms), so on a phone with
 * 400 kbps the first paint should not share the link with 60 KiB of scripts.
 *
 * SvelteKit would list every script of the page as `<link rel=modulepreload>`
 * (and in a `Link` header) and import them as soon as the HTML is parsed: the
 * downloads then compete with the stylesheet and font that the first paint
 * waits for. `preloadOnlyStyles` keeps the preloads to CSS, and
 * `startAfterFirstPaint` makes SvelteKit's inline starter wait for the page's
 * first paint before importing the app.
 * What is typed before the app starts is kept (`./typed-before-start.ts`).
 *
 * The starter is SvelteKit's own text: if a new version writes it differently,
 * the page is left as it was (scripts at once) and `tests/e2e/first-paint.e2e.ts`
 * fails, rather than a page that never starts.
 */
export const preloadOnlyStyles = ({ type }: { type: 'js' | 'css' | 'font' | 'asset' }) => type === 'css';

const importsTheApp = 'Promise.all([';
const thenStarts = ']).then(([kit, app]) => {';
// The browser's own first-paint entry (Chromium, Firefox, Safari 14.1+); where
// there is none, the frame after the first one rendered.
const afterFirstPaint = `new Promise((painted) => {
						if (!(globalThis.PerformanceObserver?.supportedEntryTypes ?? []).includes('paint'))
							return requestAnimationFrame(() => setTimeout(painted));
						new PerformanceObserver((_, observer) => (observer.disconnect(), painted()))
							.observe({ type: 'paint', buffered: true });
					}).then(() => `;

export function startAfterFirstPaint(html: string): string {
	const start = html.indexOf(importsTheApp);
	const then = html.indexOf(thenStarts, start);
	if (start < 0 || then < 0 || html.indexOf(importsTheApp, start + 1) >= 0) return html;
	return (
		html.slice(0, start) +
		afterFirstPaint +
		html.slice(start, then) +
		// `])` closes Promise.all, the third `)` the `.then(() => …` around it.
		']))' +
		html.slice(then + 2)
	);
}
