// Signing out on a shared phone: say what would be lost if messages still
// wait to be sent (the person may stay signed in and send them first); then
// nothing personal stays. The service worker clears saved pages, files and the
// outbox and the drafts kept on the phone when it sees the sign-out request
// (src/lib/offline/sw.ts); typed text is in localStorage, which only the page can clear. All of it synchronous: the
// form goes as it would without JavaScript, nothing waits before it.
import { m } from '$lib/paraglide/messages';
import { outboxSeen } from './seen';
import { forgetAllTyped } from '$lib/ui/typed';
import { forgetUnsentDrafts, unsentDraftCount } from './unsent-drafts';

export function signOutCleanly(event: SubmitEvent): void {
	const waiting = outboxSeen.waiting;
	const drafts = unsentDraftCount();
	const warnings = [
		waiting ? m.outbox_sign_out_warning({ count: waiting }) : '',
		drafts ? m.drafts_sign_out_warning({ count: drafts }) : ''
	].filter(Boolean);
	if (warnings.length && !confirm(warnings.join('\n\n'))) {
		event.preventDefault();
		return;
	}
	forgetAllTyped();
	forgetUnsentDrafts();
}
