// Deleting my account on a phone: like signing out, say first what waits on
// this phone to be sent (it never will be: the account goes). Nothing is
// cleared yet (a wrong password keeps her signed in, with all of it): the
// "account deleted" page clears what only a page can clear (clearThisPhone),
// and its post to /sign-out lets the service worker clear saved pages, files,
// the outbox and drafts, as signing out does.
import { m } from '$lib/paraglide/messages';
import { outboxSeen } from '$lib/offline/seen';
import { forgetAllTyped } from '$lib/ui/typed';
import { forgetUnsentDrafts, unsentDraftCount } from '$lib/offline/unsent-drafts';

export function clearThisPhone(): void {
	forgetAllTyped();
	forgetUnsentDrafts();
}

export function deleteCleanly(event: SubmitEvent): void {
	// Asking for the confirmation code deletes nothing yet.
	if (event.submitter?.getAttribute('formaction') === '?/code') return;
	const waiting = outboxSeen.waiting;
	const drafts = unsentDraftCount();
	const warnings = [
		waiting ? m.account_delete_outbox_warning({ count: waiting }) : '',
		drafts ? m.drafts_sign_out_warning({ count: drafts }) : ''
	].filter(Boolean);
	if (warnings.length && !confirm(warnings.join('\n\n'))) event.preventDefault();
}
