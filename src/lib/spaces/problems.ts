// Stable words raised by the database (see the spaces migration) → translated messages.
import type { PostgrestError } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages';
import { refusalKind } from '$lib/supabase/errors';
import type { UnusableCode } from './invite-code';

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
	['not_allowed', m.error_not_allowed]
];

export function databaseProblem(error: Pick<PostgrestError, 'code' | 'message'> | null): string {
	const word = raised.find(([w]) => error?.message.includes(w));
	if (word) return word[1]();
	if (refusalKind(error) === 'row_security') return m.error_not_allowed();
	return m.error_generic();
}

/** Why a code does not work, and what to do about it (from invite_state()). */
export function unusableCodeProblem(state: UnusableCode): string {
	switch (state) {
		case 'cancelled':
			return m.invite_state_cancelled();
		case 'expired':
			return m.invite_state_expired();
		case 'used_up':
			return m.invite_state_used_up();
		case 'closed':
			return m.invite_state_closed();
		default:
			return m.invite_state_unknown();
	}
}
