// Words raised by supabase/schemas/meetings.sql → translated messages;
// anything else falls back to the spaces' words (not_allowed, invite codes...).
import type { PostgrestError } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages';
import { databaseProblem } from '$lib/supabase/problems';

const raised: [string, () => string][] = [
	['meeting_in_past', m.meeting_error_in_past],
	['meeting_started', m.meeting_error_started],
	['meeting_cancelled', m.meeting_error_cancelled],
	['attendance_too_early', m.meeting_error_attendance_early],
	['too_many_agenda_items', m.meeting_error_agenda_count],
	['already_guest', m.meeting_error_already_guest],
	['removed_from_meeting', m.meeting_error_removed],
	['closes_in_past', m.poll_error_closes_past],
	['poll_options_count', m.poll_error_options],
	['poll_closed', m.poll_error_closed],
	['bad_choice', m.poll_error_choice],
	['opens_in_past', m.election_error_opens_past],
	['closes_before_opening', m.election_error_window],
	['candidacies_closed', m.election_error_candidacies_closed],
	['election_not_open', m.election_error_not_open],
	['election_closed', m.election_error_closed],
	['election_open', m.election_error_already_open],
	['election_not_closed', m.election_error_not_closed],
	['not_eligible', m.election_error_not_eligible],
	['not_enough_candidates', m.election_error_candidates],
	['bad_ballot', m.election_error_ballot],
	['already_voted', m.election_error_already_voted],
	['votes_missing', m.election_error_votes_missing],
	['already_published', m.election_error_published],
	['no_votes', m.election_error_no_votes],
	['tie', m.election_error_tie],
	['winner_not_a_member', m.election_error_winner_left],
	['questions_count', m.evaluation_error_questions],
	['evaluation_closed', m.evaluation_error_closed],
	['bad_answer', m.evaluation_error_answer],
	['already_answered', m.evaluation_error_already_answered],
	['not_a_member', m.meeting_error_not_a_member],
	['already_an_action', m.meeting_error_already_action],
	['dialogue_not_open', m.meeting_error_dialogue_not_open]
];

export function meetingProblem(error: Pick<PostgrestError, 'code' | 'message'> | null): string {
	const word = raised.find(([w]) => error?.message.includes(w));
	return word ? word[1]() : databaseProblem(error);
}
