/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
// The service worker. It precaches only what an offline phone needs to say
// so (the offline page, an icon); everything else is kept as it is used
// (src/lib/offline/sw.ts), so a first visit does not download the whole app.
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching';
import { registerLibraryFiles } from '$lib/library/sw';
import { registerOffline } from '$lib/offline/sw';
import { registerPush } from '$lib/push/sw';

declare const self: ServiceWorkerGlobalScope;

// The first worker takes the page that installed it at once, so what the
// person opens next is kept for offline reading from the first visit on.
// (A newer worker still waits for the person's "reload": see UpdatePrompt.)
clientsClaim();
cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);
// Library files saved for offline (before the pages route: they are GETs too).
registerLibraryFiles();
registerOffline();
registerPush(); // notifications: show, open on tap, stop on sign-out

self.addEventListener('message', (event) => {
	// Only on the person's request (the update prompt), never automatically.
	if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
