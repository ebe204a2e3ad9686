// Words raised by the moderation capability's functions → translated messages.
import type { PostgrestError } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages';
import { databaseProblem } from '$lib/supabase/problems';

const raised: [string, () => string][] = [
	['own_post', m.report_error_own_post],
	['already_reported', m.report_error_already],
	['too_many_reports', m.report_error_too_many],
	['note_required', m.report_error_note_required],
	['reason_required', m.moderation_error_reason_required],
	['reason_too_long', m.moderation_error_reason_too_long],
	['bad_mute', m.moderation_error_bad_mute]
];

export function moderationProblem(error: Pick<PostgrestError, 'code' | 'message'> | null): string {
	const word = raised.find(([w]) => error?.message.includes(w));
	return word ? word[1]() : databaseProblem(error);
}
