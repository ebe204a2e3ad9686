// Words raised by the confidential line's functions → translated messages.
import type { PostgrestError } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages';
import { databaseProblem } from '$lib/supabase/problems';

const raised: [string, () => string][] = [
	['not_a_member', m.concern_error_not_member],
	['too_many_concerns', m.concern_error_too_many],
	['concern_closed', m.concern_error_closed],
	['answer_required', m.concern_error_answer_required]
];

export function concernProblem(error: Pick<PostgrestError, 'code' | 'message'> | null): string {
	const word = raised.find(([w]) => error?.message.includes(w));
	return word ? word[1]() : databaseProblem(error);
}
