// Text typed into a form (a reply, a new thread, a dialogue post) survives a
// reload, a crash and a phone restart until it is sent or discarded: it is
// kept in localStorage (synchronous, so a crash a moment later keeps it) under
// a key per page and field, and read back when the form appears again. The
// key's owner is the person: a shared phone never shows one person's words to
// the next (signing out forgets them all: $lib/offline/sign-out).

import { TYPED_PREFIX } from '$lib/keys';

/** localStorage, or null where the browser refuses it (private mode, full). */
export function localStore(): Storage | null {
	try {
		return globalThis.localStorage ?? null;
	} catch {
		return null; // storage refused: nothing to keep, nothing lost by trying
	}
}

export function readTyped(key: string): string {
	return localStore()?.getItem(TYPED_PREFIX + key) ?? '';
}

export function keepTyped(key: string, text: string): void {
	const store = localStore();
	if (!store) return;
	try {
		if (text.trim()) store.setItem(TYPED_PREFIX + key, text);
		else store.removeItem(TYPED_PREFIX + key);
	} catch {
		// storage full: the text is still in the box on screen
	}
}

/** Signing out: nothing typed stays on a shared phone. */
export function forgetAllTyped(): void {
	const store = localStore();
	if (!store) return;
	for (const key of Object.keys(store)) if (key.startsWith(TYPED_PREFIX)) store.removeItem(key);
}
