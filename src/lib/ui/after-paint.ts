/**
 * Runs `task` once the page has painted and the browser is idle (or after a
 * few seconds at most), so what it loads never competes with the first paint
 * on a slow phone (issue 14). Returns a function that cancels it if it has not
 * run yet.
 */
export function afterPaint(task: () => void): () => void {
	let cancelled = false;
	const run = () => !cancelled && task();
	const idle = () =>
		'requestIdleCallback' in window ? requestIdleCallback(run, { timeout: 3000 }) : setTimeout(run, 200);
	if (document.readyState === 'complete') idle();
	else addEventListener('load', idle, { once: true });
	return () => {
		cancelled = true;
		removeEventListener('load', idle);
	};
}
