// Text typed into a form (a reply, a new thread, a dialogue post) survives a
// reload, a crash and a phone restart until it is sent or discarded: it is
// kept in localStorage (synchronous, so a crash a moment later keeps it) under
// a key per page and field, and read back when the form appears again. The
// key's owner is the person: a shared phone never shows one person's words to
// the next (signing out forgets them all).
const PREFIX = 'sahakum:typed:';

const storage = () => {
	try {
		return globalThis.localStorage ?? null;
	} catch {
		return null; // storage refused (private mode, full): nothing to keep, nothing lost by trying
	}
};

export function readTyped(key: string): string {
	return storage()?.getItem(PREFIX + key) ?? '';
}

export function keepTyped(key: string, text: string): void {
	const store = storage();
	if (!store) return;
	try {
		if (text.trim()) store.setItem(PREFIX + key, text);
		else store.removeItem(PREFIX + key);
	} catch {
		// storage full: the text is still in the box on screen
	}
}

/** Signing out: nothing typed stays on a shared phone. */
export function forgetAllTyped(): void {
	const store = storage();
	if (!store) return;
	for (const key of Object.keys(store))
		if (key.startsWith(PREFIX) || key.startsWith(UNSENT_DRAFT)) store.removeItem(key);
}

// Drafts keep their changes in IndexedDB (y-indexeddb) until the server has
// them; the editor marks a draft here while it has changes the server lacks,
// so signing out (synchronous) can say so before the phone forgets them.
const UNSENT_DRAFT = 'sahakum:draft-unsent:';

export function markDraftUnsent(draftId: string, unsent: boolean): void {
	const store = storage();
	if (!store) return;
	try {
		if (unsent) store.setItem(UNSENT_DRAFT + draftId, '1');
		else store.removeItem(UNSENT_DRAFT + draftId);
	} catch {
		// storage full: the draft's changes are still kept in IndexedDB
	}
}

export function unsentDraftCount(): number {
	const store = storage();
	return store ? Object.keys(store).filter((key) => key.startsWith(UNSENT_DRAFT)).length : 0;
}
