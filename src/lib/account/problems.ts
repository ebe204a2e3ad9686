// Words raised by the account capability's functions → translated messages.
import type { PostgrestError } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages';
import { databaseProblem } from '$lib/supabase/problems';

const raised: [string, () => string][] = [
	['export_in_progress', m.account_error_export_in_progress],
	['too_many_exports', m.account_error_too_many_exports],
	['hand_over_first', m.account_error_hand_over_first]
];

export function accountProblem(error: Pick<PostgrestError, 'code' | 'message'> | null): string {
	const word = raised.find(([w]) => error?.message.includes(w));
	return word ? word[1]() : databaseProblem(error);
}
