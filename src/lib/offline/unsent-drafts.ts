// Drafts keep their changes in IndexedDB (y-indexeddb) until the server has
// them; the editor marks a draft here while it has changes the server lacks,
// so signing out (synchronous) can say so before the phone forgets them.
import { localStore } from '$lib/ui/typed';
import { UNSENT_DRAFT_PREFIX } from '$lib/keys';

// Set by signing out: the editor is still on screen until the sign-out page
// arrives, and its next sync attempt (refused, signed out) would mark the draft
// again after the phone was told to forget it. The sign-out is a full page
// load, so a new page starts with this false again.
let signingOut = false;

export function markDraftUnsent(draftId: string, unsent: boolean): void {
	const store = localStore();
	if (!store || (unsent && signingOut)) return;
	try {
		if (unsent) store.setItem(UNSENT_DRAFT_PREFIX + draftId, '1');
		else store.removeItem(UNSENT_DRAFT_PREFIX + draftId);
	} catch {
		// storage full: the draft's changes are still kept in IndexedDB
	}
}

export function unsentDraftCount(): number {
	const store = localStore();
	return store ? Object.keys(store).filter((key) => key.startsWith(UNSENT_DRAFT_PREFIX)).length : 0;
}

/** Signing out: the phone forgets the drafts (the service worker deletes their databases). */
export function forgetUnsentDrafts(): void {
	signingOut = true;
	const store = localStore();
	if (!store) return;
	for (const key of Object.keys(store)) if (key.startsWith(UNSENT_DRAFT_PREFIX)) store.removeItem(key);
}
