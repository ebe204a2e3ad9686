/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
// Precaches the app shell (JS, CSS, icons, fonts) listed by vite-pwa, and
// caches pages people visited so they open again without a network.
import { cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';
import { registerLibraryFiles } from '$lib/library/sw';
import { registerPush } from '$lib/push/sw';
import { PAGES_CACHE } from '$lib/keys';

declare const self: ServiceWorkerGlobalScope;

cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);
// Library files saved for offline (before the pages route: they are GETs too).
registerLibraryFiles();
registerPush(); // notifications: show, open on tap, stop on sign-out

// Visited pages: network first (fresh when online), the cached copy when not.
registerRoute(
	({ request, url }) => request.mode === 'navigate' && url.origin === self.location.origin,
	new NetworkFirst({ cacheName: PAGES_CACHE, networkTimeoutSeconds: 6 })
);

self.addEventListener('message', (event) => {
	// Only on the person's request (the update prompt), never automatically.
	if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
