// Translated names of the meetings capability's values (called by name, so a
// page carries only the messages it shows).
import { m } from '$lib/paraglide/messages';
import type { ElectionRole, MeetingAnswer, PollKind, QuestionKind } from './queries';

export const electionRoleLabel = (role: ElectionRole) =>
	role === 'leader' ? m.election_role_leader() : m.election_role_deputy();

export const answerLabel = (answer: MeetingAnswer) =>
	({ going: m.rsvp_going, maybe: m.rsvp_maybe, cant: m.rsvp_cant })[answer]();

export const pollKindLabel = (kind: PollKind) =>
	({ single: m.poll_kind_single, multiple: m.poll_kind_multiple, time: m.poll_kind_time })[kind]();

export const questionKindLabel = (kind: QuestionKind) =>
	({ rating: m.evaluation_kind_rating, choice: m.evaluation_kind_choice, text: m.evaluation_kind_text })[
		kind
	]();

/** The faces of a 1-5 rating, from very unhappy to very happy. */
export const FACES = ['😞', '🙁', '😐', '🙂', '😄'];
export const faceLabel = (value: number) =>
	[m.rating_1, m.rating_2, m.rating_3, m.rating_4, m.rating_5][value - 1]();
