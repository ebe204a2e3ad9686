// Signing out on a shared phone: say what would be lost if messages still
// wait to be sent (the person may stay signed in and send them first); then
// nothing personal stays: saved pages and files, the outbox, typed text.
import { m } from '$lib/paraglide/messages';
import { LIBRARY_FILES_CACHE, PAGES_CACHE } from '$lib/keys';
import { clearOutbox, outboxItems } from './outbox';
import { forgetAllTyped } from './typed';

export function signOutCleanly(event: SubmitEvent, userId: string): void {
	const form = event.currentTarget as HTMLFormElement;
	if (form.dataset.confirmed === 'yes') return;
	event.preventDefault();
	void (async () => {
		const waiting = userId ? (await outboxItems(userId).catch(() => [])).length : 0;
		if (waiting && !confirm(m.outbox_sign_out_warning({ count: waiting }))) return;
		await Promise.all([
			clearOutbox().catch(() => undefined),
			globalThis.caches?.delete(PAGES_CACHE),
			globalThis.caches?.delete(LIBRARY_FILES_CACHE)
		]);
		forgetAllTyped();
		form.dataset.confirmed = 'yes';
		form.requestSubmit();
	})();
}
