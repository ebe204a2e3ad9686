// "Save for offline": library files a person chooses are kept in the Cache
// API; the service worker (sw.ts) answers /library/files/… from there, so the
// file opens in the installed app without a network. Files are per version,
// so a saved copy never goes stale.
import { LIBRARY_FILES_CACHE, PAGES_CACHE } from '$lib/keys';

export const fileUrl = (fileId: string) => `/library/files/${fileId}`;
export const thumbUrl = (fileId: string) => `/library/files/${fileId}?thumb=1`;

const available = () => typeof caches !== 'undefined';

export async function isSavedOffline(fileId: string): Promise<boolean> {
	if (!available()) return false;
	return !!(await (await caches.open(LIBRARY_FILES_CACHE)).match(fileUrl(fileId)));
}

/** Keeps the file (and its preview) and the page showing it; asks the browser not to evict them. */
export async function saveForOffline(fileId: string, withThumb: boolean, pageUrl: string): Promise<void> {
	const files = await caches.open(LIBRARY_FILES_CACHE);
	await files.addAll([fileUrl(fileId), ...(withThumb ? [thumbUrl(fileId)] : [])]);
	// The page may not have been through the service worker yet (first visit).
	try {
		const page = await fetch(pageUrl, { credentials: 'same-origin' });
		if (page.ok) await (await caches.open(PAGES_CACHE)).put(pageUrl, page);
	} catch {
		// the file is saved; the page will be cached on the next visit
	}
	await navigator.storage?.persist?.().catch(() => false);
}

export async function removeFromOffline(fileId: string): Promise<void> {
	const files = await caches.open(LIBRARY_FILES_CACHE);
	await Promise.all([files.delete(fileUrl(fileId)), files.delete(thumbUrl(fileId))]);
}
