// Words raised by the dialogues migration → translated messages; anything
// else falls back to the spaces' words (not_allowed, invite codes, ...).
import type { PostgrestError } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages';
import { databaseProblem } from '$lib/supabase/problems';

const raised: [string, () => string][] = [
	['already_guest', m.dialogue_error_already_guest],
	['removed_from_dialogue', m.dialogue_error_removed],
	['already_member', m.dialogue_error_already_member],
	['due_in_past', m.action_error_due_past],
	['owner_not_a_guest', m.action_error_owner],
	['not_a_proposal', m.action_error_not_a_proposal],
	['dropped_needs_reason', m.action_error_dropped_reason],
	['too_many_agenda_items', () => m.dialogue_error_agenda_count({ max: 30 })],
	['file_missing', m.library_error_file_missing]
];

export function dialogueProblem(error: Pick<PostgrestError, 'code' | 'message'> | null): string {
	const word = raised.find(([w]) => error?.message.includes(w));
	return word ? word[1]() : databaseProblem(error);
}
