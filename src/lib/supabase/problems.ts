// The database's stable words (raised by its functions and guards, listed in
// supabase/AUTHORIZATION.md) that any capability's action may meet, and a row
// security refusal, as translated sentences. A capability with words of its
// own (drafts, dialogues, library…) looks those up first, then falls back here.
import type { PostgrestError } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages';
import { refusalKind } from './errors';

const raised: [string, () => string][] = [
	['invite_not_found', m.error_invite_not_found],
	['invite_expired', m.error_invite_expired],
	['already_member', m.error_already_member],
	['removed_from_space', m.error_removed_from_space],
	['last_facilitator', m.error_last_facilitator],
	['thread_locked', m.error_thread_locked],
	['post_deleted', m.error_post_deleted],
	['not_a_member', m.error_not_allowed],
	['id_taken', m.error_not_stored],
	// Safe spaces (issue 26): moderation's guards on posts and attachments.
	['muted', m.error_muted],
	['new_account_no_links', m.error_new_account_no_links],
	['new_account_slow_down', m.error_new_account_slow_down],
	['new_account_no_attachments', m.error_new_account_no_attachments],
	['not_allowed', m.error_not_allowed]
];

export function databaseProblem(error: Pick<PostgrestError, 'code' | 'message'> | null): string {
	const word = raised.find(([w]) => error?.message.includes(w));
	if (word) return word[1]();
	if (refusalKind(error) === 'row_security') return m.error_not_allowed();
	return m.error_generic();
}
