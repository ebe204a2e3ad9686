/// <reference lib="webworker" />
// The service worker's part for offline reading and the outbox (imported by
// src/service-worker.ts).
//
// What is kept, and for how long:
// - pages: every page opened (the spaces list, threads, dialogues, actions, the
//   library), network first (fresh when online, the saved copy after 6 s or
//   without a network); at most 80 pages, each for 21 days, oldest dropped first;
// - the app's code and styles (/_app/immutable/, never change): kept on first
//   use, at most 300 files for 60 days;
// - fonts: on first use, at most 10;
// - library files the person saved (src/lib/library/sw.ts).
// A page never opened answers /offline.html (the three languages).
// Signing out empties pages, data and saved files, the outbox and drafts kept on the phone.
import { matchPrecache } from 'workbox-precaching';
import { registerRoute, setCatchHandler } from 'workbox-routing';
import { CacheFirst, NetworkFirst } from 'workbox-strategies';
import { ExpirationPlugin } from 'workbox-expiration';
import {
	ASSETS_CACHE,
	DRAFT_DB_PREFIX,
	FONTS_CACHE,
	LIBRARY_FILES_CACHE,
	OUTBOX_DB,
	PAGES_CACHE
} from '$lib/keys';

declare const self: ServiceWorkerGlobalScope;

// (The precache names it without .html, as the PWA plugin lists static pages.)
const OFFLINE_PAGE = '/offline';

const deleteDatabase = (name: string) =>
	new Promise<void>((done) => {
		const request = indexedDB.deleteDatabase(name);
		request.onsuccess = request.onerror = request.onblocked = () => done();
	});

/**
 * A saved page answered because the network failed or took too long is
 * marked (<html data-saved-copy>), so the page says it is a saved copy even
 * where navigator.onLine claims a network (a connection with no data, a
 * captive portal, and some Chromium builds once offline).
 */
const markSavedCopies = {
	cachedResponseWillBeUsed: async ({ cachedResponse }: { cachedResponse?: Response }) => {
		if (!cachedResponse || !cachedResponse.headers.get('content-type')?.includes('text/html'))
			return cachedResponse ?? null;
		const html = await cachedResponse.text();
		return new Response(html.replace(/<html\b/i, '<html data-saved-copy'), {
			status: cachedResponse.status,
			statusText: cachedResponse.statusText,
			headers: cachedResponse.headers
		});
	}
};

export function registerOffline(): void {
	const sameOrigin = (url: URL) => url.origin === self.location.origin;

	registerRoute(
		({ request, url }) => request.mode === 'navigate' && sameOrigin(url),
		new NetworkFirst({
			cacheName: PAGES_CACHE,
			networkTimeoutSeconds: 6,
			plugins: [
				new ExpirationPlugin({ maxEntries: 80, maxAgeSeconds: 21 * 86_400, purgeOnQuotaError: true }),
				markSavedCopies
			]
		})
	);
	registerRoute(
		({ url }) => sameOrigin(url) && url.pathname.startsWith('/_app/immutable/'),
		new CacheFirst({
			cacheName: ASSETS_CACHE,
			plugins: [
				new ExpirationPlugin({ maxEntries: 300, maxAgeSeconds: 60 * 86_400, purgeOnQuotaError: true })
			]
		})
	);
	registerRoute(
		({ request, url }) => sameOrigin(url) && request.destination === 'font',
		new CacheFirst({ cacheName: FONTS_CACHE, plugins: [new ExpirationPlugin({ maxEntries: 10 })] })
	);

	// Nothing cached and no network: for a page, the offline page; for anything else, a plain failure.
	setCatchHandler(async ({ request }) => {
		if (request.mode === 'navigate') return (await matchPrecache(OFFLINE_PAGE)) ?? Response.error();
		return Response.error();
	});

	self.addEventListener('message', (event) => {
		const data = event.data as { type?: string; urls?: unknown } | null;
		// The page that was open when the worker first started loaded its code before
		// the worker could see it: keep those files too (from the HTTP cache: no bytes spent).
		if (data?.type === 'KEEP_ASSETS' && Array.isArray(data.urls)) {
			const urls = data.urls.filter(
				(url): url is string =>
					typeof url === 'string' && new URL(url).pathname.startsWith('/_app/immutable/')
			);
			event.waitUntil(caches.open(ASSETS_CACHE).then((cache) => cache.addAll(urls).catch(() => undefined)));
		}
	});

	// Background Sync: only a wake-up. The pages send the outbox (with the session cookie).
	self.addEventListener('sync', (event) => {
		const sync = event as ExtendableEvent & { tag?: string };
		if (sync.tag !== 'outbox') return;
		sync.waitUntil(
			self.clients
				.matchAll({ type: 'window' })
				.then((clients) => clients.forEach((client) => client.postMessage({ type: 'outbox-sync' })))
		);
	});

	// Signing out (the form posts to /sign-out, with or without JavaScript): a shared phone keeps nothing personal.
	self.addEventListener('fetch', (event) => {
		const url = new URL(event.request.url);
		if (event.request.method !== 'POST' || !sameOrigin(url) || url.pathname !== '/sign-out') return;
		event.waitUntil(
			Promise.all([
				caches.delete(PAGES_CACHE),
				caches.delete(LIBRARY_FILES_CACHE),
				deleteDatabase(OUTBOX_DB),
				// Drafts kept for offline editing (y-indexeddb, one database per draft).
				indexedDB
					.databases()
					.then((all) =>
						Promise.all(
							all
								.map((db) => db.name ?? '')
								.filter((name) => name.startsWith(DRAFT_DB_PREFIX))
								.map(deleteDatabase)
						)
					)
					.catch(() => undefined)
			])
		);
	});
}
