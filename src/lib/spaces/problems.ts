// Stable words raised by the database (see the spaces migration) → translated messages.
import type { PostgrestError } from '@supabase/supabase-js';
import { problem, type Problem } from '$lib/i18n/problem';
import { refusalKind } from '$lib/supabase/errors';

const raised: [string, Problem['key']][] = [
	['invite_not_found', 'error_invite_not_found'],
	['invite_expired', 'error_invite_expired'],
	['already_member', 'error_already_member'],
	['last_facilitator', 'error_last_facilitator'],
	['thread_locked', 'error_thread_locked'],
	['post_deleted', 'error_post_deleted'],
	['not_a_member', 'error_not_allowed'],
	['not_allowed', 'error_not_allowed']
];

export function databaseProblem(error: Pick<PostgrestError, 'code' | 'message'> | null): Problem {
	const word = raised.find(([w]) => error?.message.includes(w));
	if (word) return problem(word[1]);
	if (refusalKind(error) === 'row_security') return problem('error_not_allowed');
	return problem('error_generic');
}
