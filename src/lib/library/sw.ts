/// <reference lib="webworker" />
// The service worker's part for library files (imported by src/service-worker.ts).
// Saved files are answered from the cache, online or not: a version never
// changes, and a phone on paid data should not fetch it twice. Files not
// saved go to the network. Signing out empties the cache (src/lib/offline/sw.ts),
// so a shared phone does not keep the last person's files.
import { registerRoute } from 'workbox-routing';
import { LIBRARY_FILES_CACHE } from '$lib/keys';

declare const self: ServiceWorkerGlobalScope;

/** Audio and video players ask for byte ranges; answer them from the saved copy. */
async function partial(response: Response, range: string): Promise<Response> {
	const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
	const body = await response.blob();
	if (!match) return new Response(body, { status: 200, headers: response.headers });
	const size = body.size;
	const start = match[1] ? Number(match[1]) : Math.max(0, size - Number(match[2]));
	const end = match[1] && match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
	if (start >= size || start > end) {
		return new Response(null, { status: 416, headers: { 'content-range': `bytes */${size}` } });
	}
	const headers = new Headers(response.headers);
	headers.set('content-range', `bytes ${start}-${end}/${size}`);
	headers.set('content-length', String(end - start + 1));
	return new Response(body.slice(start, end + 1), { status: 206, headers });
}

export function registerLibraryFiles(): void {
	registerRoute(
		({ url }) => url.origin === self.location.origin && url.pathname.startsWith('/library/files/'),
		async ({ request }) => {
			const saved = await (await caches.open(LIBRARY_FILES_CACHE)).match(request.url);
			if (!saved) return fetch(request);
			const range = request.headers.get('range');
			return range ? partial(saved, range) : saved;
		}
	);
}
