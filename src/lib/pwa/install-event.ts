// Chrome offers to install the app with a `beforeinstallprompt` event, which
// may come before any component that uses it has loaded (they load after the
// first paint): the root layout starts listening at once and keeps the latest
// offer here, for the install invitation and the install steps to use.
let offer: Event | null = null;
const watchers = new Set<(offer: Event | null) => void>();

function set(next: Event | null) {
	offer = next;
	for (const watcher of watchers) watcher(next);
}

export function keepEarlyInstallOffer(): void {
	addEventListener('beforeinstallprompt', (event) => {
		event.preventDefault(); // we choose the moment, not the browser
		set(event);
	});
	addEventListener('appinstalled', () => set(null));
}

/** The offer the browser made, if it is still unused. */
export function takeEarlyInstallOffer(): Event | null {
	return offer;
}

/** Calls `watcher` with the current offer now and with every change; returns the way to stop. */
export function watchInstallOffer(watcher: (offer: Event | null) => void): () => void {
	watchers.add(watcher);
	watcher(offer);
	return () => watchers.delete(watcher);
}

/** An offer can be shown once: whoever shows it says so. */
export function installOfferUsed(): void {
	set(null);
}
