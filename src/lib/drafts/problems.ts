// Words raised by the drafts migration → translated messages; anything else
// falls back to the spaces' words (not_allowed, not_signed_in, ...).
import type { PostgrestError } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages';
import { databaseProblem } from '$lib/supabase/problems';

const raised: [string, () => string][] = [
	['corrupt_update', m.draft_error_corrupt],
	['update_too_large', m.draft_status_too_large],
	['bad_sequence', m.draft_error_busy],
	['not_allowed', m.draft_error_not_allowed]
];

export function draftProblem(error: Pick<PostgrestError, 'code' | 'message'> | null): string {
	const word = raised.find(([w]) => error?.message.includes(w));
	return word ? word[1]() : databaseProblem(error);
}
