// Words raised by the programme migration → translated messages; anything
// else falls back to the spaces' words (not_allowed...).
import type { PostgrestError } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages';
import { databaseProblem } from '$lib/supabase/problems';

const raised: [string, () => string][] = [
	['space_not_found', m.programme_error_space_gone],
	['period_future', m.programme_period_future],
	['period_reversed', m.programme_period_reversed],
	['period_too_long', m.programme_period_too_long],
	['no_such_account', m.programme_error_no_account],
	['not_allowed', m.programme_error_not_allowed]
];

export function programmeProblem(error: Pick<PostgrestError, 'code' | 'message'> | null): string {
	const word = raised.find(([w]) => error?.message.includes(w));
	return word ? word[1]() : databaseProblem(error);
}
