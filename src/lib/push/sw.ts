/// <reference lib="webworker" />
// The service worker's part for push notifications (src/service-worker.ts calls
// registerPush()). A push carries a PushMessage (payload.ts), written by the
// server in the person's language; it is shown with a tag per thread, so a
// newer notification of the same thread replaces the earlier one. A tap opens
// (or focuses) the page it is about, inside the app only.
import type { PushMessage } from './payload';

declare const self: ServiceWorkerGlobalScope;

/** Where the settings page saves a phone's subscription (a form action). */
const SUBSCRIBE_ACTION = '/profile/notifications?/subscribe';

function readMessage(event: PushEvent): PushMessage | null {
	try {
		const message = event.data?.json() as Partial<PushMessage> | undefined;
		return typeof message?.title === 'string' ? (message as PushMessage) : null;
	} catch {
		return null;
	}
}

/** Only a path of this app: a message can never send the person elsewhere. */
function pageFor(url: unknown): URL {
	const target = new URL(typeof url === 'string' ? url : '/', self.location.origin);
	return target.origin === self.location.origin ? target : new URL('/', self.location.origin);
}

async function open(url: URL) {
	const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
	const same = windows.find((client) => new URL(client.url).pathname === url.pathname);
	if (same) return same.focus();
	const any = windows[0];
	if (any) {
		const moved = await any.navigate(url.href).catch(() => null);
		if (moved) return moved.focus();
	}
	return self.clients.openWindow(url.href);
}

export function registerPush(): void {
	self.addEventListener('push', (event) => {
		const message = readMessage(event);
		// A push must show something (userVisibleOnly): an unreadable one shows the app's name.
		const options: NotificationOptions & { renotify?: boolean } = message
			? {
					body: message.body,
					tag: message.tag,
					lang: message.lang,
					data: { url: message.url },
					renotify: true,
					icon: '/icons/icon-192.png',
					badge: '/icons/icon-192.png'
				}
			: { icon: '/icons/icon-192.png', data: { url: '/' } };
		event.waitUntil(self.registration.showNotification(message?.title ?? 'Sahakum', options));
	});

	self.addEventListener('notificationclick', (event) => {
		event.notification.close();
		const data = event.notification.data as { url?: unknown } | null;
		event.waitUntil(open(pageFor(data?.url)));
	});

	// The browser replaced the subscription (keys rotated, expired): subscribe again
	// with the same server key and tell the app, with the person's cookie.
	self.addEventListener('pushsubscriptionchange', (event) => {
		const change = event as Event & {
			oldSubscription?: PushSubscription | null;
			waitUntil(p: Promise<unknown>): void;
		};
		const key = change.oldSubscription?.options.applicationServerKey;
		if (!key) return;
		change.waitUntil(
			self.registration.pushManager
				.subscribe({ userVisibleOnly: true, applicationServerKey: key })
				.then((subscription) => {
					const json = subscription.toJSON();
					const body = new FormData();
					body.set('endpoint', json.endpoint ?? '');
					body.set('p256dh', json.keys?.p256dh ?? '');
					body.set('auth', json.keys?.auth ?? '');
					return fetch(SUBSCRIBE_ACTION, { method: 'POST', body, headers: { 'x-sveltekit-action': 'true' } });
				})
				.catch(() => undefined)
		);
	});

	// Signing out (on a shared phone, the next person's phone): this phone stops
	// receiving the previous person's notifications. Its push service then
	// answers 410 and the server forgets it.
	self.addEventListener('fetch', (event) => {
		const url = new URL(event.request.url);
		if (
			event.request.method === 'POST' &&
			url.origin === self.location.origin &&
			url.pathname === '/sign-out'
		) {
			event.waitUntil(
				self.registration.pushManager
					.getSubscription()
					.then((subscription) => subscription?.unsubscribe())
					.catch(() => undefined)
			);
		}
	});
}
