// Everything the meetings pages read and write, through the person's own
// session client: the policies and RPCs of supabase/schemas/meetings.sql decide.
import type { Client } from '$lib/supabase/types';
import type { Database } from '$lib/supabase/database.types';
import type { SpaceRole } from '$lib/vocabulary';
import { displayNames } from '$lib/supabase/types';

type Enums = Database['public']['Enums'];
export type MeetingAnswer = Enums['meeting_answer'];
export type PollKind = Enums['poll_kind'];
export type PollResultsWhen = Enums['poll_results_when'];
export type ElectionRole = Enums['election_role'];
export type QuestionKind = Enums['evaluation_question_kind'];
export type Meeting = Database['public']['Tables']['meetings']['Row'];

export const ANSWERS: MeetingAnswer[] = ['going', 'maybe', 'cant'];

export interface Counts {
	members: number;
	going: number;
	maybe: number;
	cant: number;
	presentMembers: number;
	presentWomen: number;
	presentWithDisability: number;
	participants: number;
	participantWomen: number;
	participantsWithDisability: number;
}

export interface HistoryRow {
	id: string;
	topic: string;
	starts_at: string;
	venue: string;
	cancelled_at: string | null;
	counts: Counts;
}

export const totalPresent = (c: Counts) => c.presentMembers + c.participants;

// ------------------------------------------------------------------ meetings

export async function upcomingMeetings(supabase: Client, spaceId: string) {
	const { data } = await supabase
		.from('meetings')
		.select('id, topic, starts_at, duration_minutes, venue, cancelled_at')
		.eq('space_id', spaceId)
		.gte('starts_at', new Date(Date.now() - 3 * 3_600_000).toISOString())
		.order('starts_at')
		.limit(20);
	return data ?? [];
}

/** The next meeting of the space (not cancelled), and the last one held, for the space's page. */
export async function nextAndLast(supabase: Client, spaceId: string) {
	const now = new Date().toISOString();
	const [next, last] = await Promise.all([
		supabase
			.from('meetings')
			.select('id, topic, starts_at, venue')
			.eq('space_id', spaceId)
			.is('cancelled_at', null)
			.gte('starts_at', now)
			.order('starts_at')
			.limit(1),
		supabase
			.from('meetings')
			.select('id, starts_at')
			.eq('space_id', spaceId)
			.is('cancelled_at', null)
			.lt('starts_at', now)
			.order('starts_at', { ascending: false })
			.limit(1)
	]);
	return { next: next.data?.[0] ?? null, last: last.data?.[0] ?? null };
}

export async function meetingHistory(supabase: Client, spaceId: string) {
	const { data } = await supabase.rpc('meeting_history', { p_space: spaceId });
	return (data ?? []) as unknown as HistoryRow[];
}

/** The notebook page: the meeting, agenda, answers, attendance, decisions, guests; the notice marked seen. */
export async function openMeeting(supabase: Client, meetingId: string) {
	const { data: meeting } = await supabase.from('meetings').select('*').eq('id', meetingId).maybeSingle();
	if (!meeting) return null;
	const [agenda, rsvps, attendance, participants, decisions, guests, counts, attachments, notice] =
		await Promise.all([
			supabase.from('meeting_agenda_items').select('*').eq('meeting_id', meetingId).order('position'),
			supabase.from('meeting_rsvps').select('user_id, answer').eq('meeting_id', meetingId),
			supabase.from('meeting_attendance').select('user_id, present').eq('meeting_id', meetingId),
			supabase
				.from('meeting_participants')
				.select('id, name, people, women, with_disability')
				.eq('meeting_id', meetingId)
				.order('created_at'),
			supabase
				.from('meeting_decisions')
				.select('id, agenda_item_id, text, thread_id, action_id')
				.eq('meeting_id', meetingId)
				.order('created_at'),
			supabase
				.from('meeting_guests')
				.select('user_id, organisation, position, removed_at')
				.eq('meeting_id', meetingId),
			supabase.rpc('meeting_counts', { p_meeting: meetingId }),
			supabase.rpc('thread_attachments', { p_thread: meetingId }),
			supabase.from('posts').select('id').eq('thread_id', meetingId).eq('is_opening', true).maybeSingle(),
			// Opening the meeting is seeing its notice (the announcement's "seen by").
			supabase.rpc('mark_thread_read', { p_thread: meetingId })
		]);
	const people = [
		...(agenda.data ?? []).map((a) => a.owner_id),
		meeting.resource_member_id,
		...(guests.data ?? []).map((g) => g.user_id)
	];
	const names = await displayNames(supabase, people);
	return {
		meeting,
		agenda: (agenda.data ?? []).map((a) => ({
			...a,
			owner: a.owner_id ? (names.get(a.owner_id) ?? '') : ''
		})),
		rsvps: rsvps.data ?? [],
		attendance: attendance.data ?? [],
		participants: participants.data ?? [],
		decisions: await withActionDialogues(supabase, decisions.data ?? []),
		guests: (guests.data ?? []).map((g) => ({ ...g, display_name: names.get(g.user_id) ?? '' })),
		resourceName: meeting.resource_member_id ? (names.get(meeting.resource_member_id) ?? '') : '',
		counts: counts.data as unknown as Counts,
		attachments: (attachments.data ?? []) as unknown as {
			attachmentId: string;
			resource: { id: string; title: string; url: string | null };
			file: { id: string; file_name: string; mime_type: string; size_bytes: number } | null;
		}[],
		noticeId: notice.data?.id ?? null
	};
}

export interface PlanInput {
	id: string;
	spaceId: string;
	topic: string;
	startsAt: string;
	duration: number;
	venue: string;
	notice: string;
	agenda: { title: string; owner: string }[];
	resourceMember: string | null;
	resourceNote: string;
}

export const planMeeting = (supabase: Client, input: PlanInput) =>
	supabase.rpc('plan_meeting', {
		p_id: input.id,
		p_space: input.spaceId,
		p_topic: input.topic,
		p_starts_at: input.startsAt,
		p_duration_minutes: input.duration,
		p_venue: input.venue,
		p_notice: input.notice,
		p_agenda: input.agenda,
		p_resource_member: input.resourceMember ?? undefined,
		p_resource_note: input.resourceNote
	});

/** Library handouts attached to the meeting (its thread), under the library's own policy. */
export async function attachMaterials(
	supabase: Client,
	meetingId: string,
	userId: string,
	resources: string[]
) {
	if (!resources.length) return { error: null };
	return supabase.from('library_attachments').upsert(
		resources.map((resource_id) => ({ resource_id, thread_id: meetingId, attached_by: userId })),
		{ onConflict: 'resource_id,thread_id', ignoreDuplicates: true }
	);
}

export const answerMeeting = (supabase: Client, meetingId: string, answer: MeetingAnswer) =>
	supabase.rpc('answer_meeting', { p_meeting: meetingId, p_answer: answer });

export const saveMinutes = (supabase: Client, itemId: string, minutes: string) =>
	supabase.from('meeting_agenda_items').update({ minutes }).eq('id', itemId).select('id');

export const saveNotes = (supabase: Client, meetingId: string, notes: string) =>
	supabase.from('meetings').update({ notes }).eq('id', meetingId).select('id');

export async function addAgendaItem(
	supabase: Client,
	meetingId: string,
	title: string,
	owner: string | null
) {
	const { data } = await supabase
		.from('meeting_agenda_items')
		.select('position')
		.eq('meeting_id', meetingId)
		.order('position', { ascending: false })
		.limit(1);
	return supabase
		.from('meeting_agenda_items')
		.insert({ meeting_id: meetingId, position: (data?.[0]?.position ?? 0) + 1, title, owner_id: owner });
}

export const cancelMeeting = (supabase: Client, meetingId: string) =>
	supabase
		.from('meetings')
		.update({ cancelled_at: new Date().toISOString() })
		.eq('id', meetingId)
		.select('id');

export const recordDecision = (
	supabase: Client,
	input: { id: string; meetingId: string; itemId: string | null; text: string; userId: string }
) =>
	supabase.from('meeting_decisions').upsert(
		{
			id: input.id,
			meeting_id: input.meetingId,
			agenda_item_id: input.itemId,
			text: input.text,
			created_by: input.userId
		},
		{ onConflict: 'id', ignoreDuplicates: true }
	);

export const decisionToThread = (
	supabase: Client,
	input: { decisionId: string; threadId: string; title: string; body: string }
) =>
	supabase.rpc('decision_to_thread', {
		p_decision: input.decisionId,
		p_thread: input.threadId,
		p_title: input.title,
		p_body: input.body
	});

/** Where each decision's agreed action lives: its dialogue's id and title (members read both). */
async function withActionDialogues<T extends { action_id: string | null }>(supabase: Client, decisions: T[]) {
	const ids = decisions.map((d) => d.action_id).filter((id): id is string => !!id);
	if (!ids.length) return decisions.map((d) => ({ ...d, action: null }));
	const { data } = await supabase
		.from('dialogue_actions')
		.select('id, dialogue_id, dialogues!inner(threads!inner(title))')
		.in('id', ids);
	const found = new Map(
		(data ?? []).map((a) => [a.id, { dialogueId: a.dialogue_id, dialogueTitle: a.dialogues.threads.title }])
	);
	return decisions.map((d) => ({ ...d, action: d.action_id ? (found.get(d.action_id) ?? null) : null }));
}

/** A decision of this meeting, to be made an agreed action: its words, its meeting's topic and space, its link. */
export async function decisionForAction(supabase: Client, meetingId: string, decisionId: string) {
	const { data } = await supabase
		.from('meeting_decisions')
		.select('id, text, action_id, meetings!inner(topic, space_id)')
		.eq('id', decisionId)
		.eq('meeting_id', meetingId)
		.maybeSingle();
	return data;
}

/** The guests (not removed) of these dialogues, with their names, for the "who is responsible" choice. */
export async function guestsOfDialogues(supabase: Client, dialogueIds: string[]) {
	if (!dialogueIds.length) return [];
	const { data } = await supabase
		.from('dialogue_guests')
		.select('dialogue_id, user_id, organisation')
		.in('dialogue_id', dialogueIds)
		.is('removed_at', null)
		.order('joined_at');
	const names = await displayNames(
		supabase,
		(data ?? []).map((g) => g.user_id)
	);
	return (data ?? []).map((g) => ({ ...g, name: names.get(g.user_id) ?? '' }));
}

/** One step, once: the decision becomes an agreed action of an open dialogue of the space (decision_to_action()). */
export const decisionToAction = (
	supabase: Client,
	input: {
		decisionId: string;
		dialogueId: string;
		ownerKind: 'guest' | 'organisation' | 'club';
		ownerUser: string | null;
		ownerOrganisation: string | null;
		supporting: string;
		dueOn: string | null;
	}
) =>
	supabase.rpc('decision_to_action', {
		p_decision: input.decisionId,
		p_dialogue: input.dialogueId,
		p_owner_kind: input.ownerKind,
		p_owner_user: input.ownerUser ?? undefined,
		p_owner_organisation: input.ownerOrganisation ?? undefined,
		p_supporting: input.supporting,
		p_due_on: input.dueOn ?? undefined
	});

export const recordAttendance = (supabase: Client, meetingId: string, userId: string, present: boolean) =>
	supabase.rpc('record_attendance', { p_meeting: meetingId, p_user: userId, p_present: present });

export const addParticipants = (
	supabase: Client,
	input: { id: string; meetingId: string; name: string; people: number; women: number; disability: number }
) =>
	supabase.rpc('add_meeting_participants', {
		p_id: input.id,
		p_meeting: input.meetingId,
		p_name: input.name,
		p_people: input.people,
		p_women: input.women,
		p_with_disability: input.disability
	});

export const removeParticipants = (supabase: Client, id: string) =>
	supabase.from('meeting_participants').delete().eq('id', id).select('id');

// ------------------------------------------------------------- guests

export const createMeetingInvite = (supabase: Client, meetingId: string, code: string, userId: string) =>
	supabase.from('meeting_invites').insert({ meeting_id: meetingId, code, created_by: userId });

export async function meetingInvites(supabase: Client, meetingId: string) {
	const { data } = await supabase
		.from('meeting_invites')
		.select('id, code, expires_at, uses, max_uses')
		.eq('meeting_id', meetingId)
		.is('revoked_at', null)
		.gt('expires_at', new Date().toISOString())
		.order('created_at', { ascending: false });
	return data ?? [];
}

export const revokeMeetingInvite = (supabase: Client, inviteId: string) =>
	supabase.rpc('revoke_meeting_invite', { p_invite: inviteId });

export const removeMeetingGuest = (supabase: Client, meetingId: string, userId: string) =>
	supabase
		.from('meeting_guests')
		.update({ removed_at: new Date().toISOString() })
		.eq('meeting_id', meetingId)
		.eq('user_id', userId)
		.select('user_id');

export const joinMeeting = (supabase: Client, code: string, organisation: string, position: string) =>
	supabase.rpc('join_meeting', { p_code: code, p_organisation: organisation, p_position: position });

export interface GuestView {
	id: string;
	topic: string;
	starts_at: string;
	duration_minutes: number;
	venue: string;
	cancelled_at: string | null;
	space_name: string;
	agenda: { position: number; title: string }[];
	materials: { id: string; title: string; url: string | null }[];
	badge: { organisation: string; position: string };
}

export async function meetingForGuest(supabase: Client, meetingId: string) {
	const { data } = await supabase.rpc('meeting_for_guest', { p_meeting: meetingId });
	return (data ?? null) as unknown as GuestView | null;
}

// ------------------------------------------------------------- announcements

export interface Reader {
	user_id: string;
	display_name: string;
	role: SpaceRole;
	seen: boolean;
}

/** Who has and has not seen an announcement: moderators only (null for everyone else). */
export async function announcementReaders(supabase: Client, postId: string) {
	const { data, error } = await supabase.rpc('announcement_readers', { p_post: postId });
	return error ? null : ((data ?? []) as unknown as Reader[]);
}

export const markAnnouncement = (
	supabase: Client,
	input: { postId: string; threadId: string; spaceId: string; userId: string }
) =>
	supabase
		.from('announcements')
		.upsert(
			{ post_id: input.postId, thread_id: input.threadId, space_id: input.spaceId, marked_by: input.userId },
			{ onConflict: 'post_id', ignoreDuplicates: true }
		);

export const unmarkAnnouncement = (supabase: Client, postId: string) =>
	supabase.from('announcements').delete().eq('post_id', postId).select('post_id');

// ------------------------------------------------------------- declarations and calendar

export async function myDeclaration(supabase: Client) {
	const { data } = await supabase.from('attendee_declarations').select('woman, disability').maybeSingle();
	return data ?? { woman: null, disability: null };
}

export const saveDeclaration = (
	supabase: Client,
	userId: string,
	woman: boolean | null,
	disability: boolean | null
) =>
	supabase
		.from('attendee_declarations')
		.upsert({ user_id: userId, woman, disability }, { onConflict: 'user_id' });

export async function calendarToken(supabase: Client) {
	const { data } = await supabase.from('calendar_feeds').select('token').maybeSingle();
	return data?.token ?? null;
}

/** A new secret token (the old address stops working). */
export const resetCalendarToken = (supabase: Client, userId: string, token: string) =>
	supabase.from('calendar_feeds').upsert({ user_id: userId, token }, { onConflict: 'user_id' });

export interface FeedMeeting {
	id: string;
	space_id: string;
	space_name: string;
	sensitive: boolean;
	topic: string | null;
	venue: string | null;
	starts_at: string;
	duration_minutes: number;
	cancelled: boolean;
	updated_at: string;
}

export async function calendarFeed(supabase: Client, token: string) {
	const { data } = await supabase.rpc('calendar_feed', { p_token: token });
	return (data ?? []) as unknown as FeedMeeting[];
}

// ------------------------------------------------------------- polls

export async function spacePolls(supabase: Client, spaceId: string) {
	const { data } = await supabase
		.from('polls')
		.select('id, question, kind, closes_at')
		.eq('space_id', spaceId)
		.order('created_at', { ascending: false })
		.limit(20);
	return data ?? [];
}

export const createPoll = (
	supabase: Client,
	input: {
		id: string;
		spaceId: string;
		question: string;
		kind: PollKind;
		resultsWhen: PollResultsWhen;
		closesAt: string;
		labels: string[];
		times: string[];
	}
) =>
	supabase.rpc('create_poll', {
		p_id: input.id,
		p_space: input.spaceId,
		p_question: input.question,
		p_kind: input.kind,
		p_results_when: input.resultsWhen,
		p_closes_at: input.closesAt,
		p_labels: input.labels,
		p_times: input.times
	});

export interface PollResults {
	visible: boolean;
	voters: number;
	options?: { id: string; count: number }[];
}

export async function openPoll(supabase: Client, pollId: string) {
	const { data: poll } = await supabase.from('polls').select('*').eq('id', pollId).maybeSingle();
	if (!poll) return null;
	const [options, mine, results] = await Promise.all([
		supabase
			.from('poll_options')
			.select('id, position, label, starts_at')
			.eq('poll_id', pollId)
			.order('position'),
		supabase.from('poll_votes').select('option_id').eq('poll_id', pollId),
		supabase.rpc('poll_results', { p_poll: pollId })
	]);
	return {
		poll,
		options: options.data ?? [],
		mine: (mine.data ?? []).map((v) => v.option_id),
		results: results.data as unknown as PollResults
	};
}

export const voteInPoll = (supabase: Client, pollId: string, options: string[]) =>
	supabase.rpc('vote_in_poll', { p_poll: pollId, p_options: options });

// ------------------------------------------------------------- elections

export async function spaceElections(supabase: Client, spaceId: string) {
	const { data } = await supabase
		.from('elections')
		.select('id, title, role, opens_at, closes_at, published_at, elected')
		.eq('space_id', spaceId)
		.order('created_at', { ascending: false })
		.limit(20);
	return data ?? [];
}

export const createElection = (
	supabase: Client,
	input: {
		id: string;
		spaceId: string;
		role: ElectionRole;
		seats: number;
		title: string;
		opensAt: string;
		closesAt: string;
	}
) =>
	supabase.rpc('create_election', {
		p_id: input.id,
		p_space: input.spaceId,
		p_role: input.role,
		p_seats: input.seats,
		p_title: input.title,
		p_opens_at: input.opensAt,
		p_closes_at: input.closesAt
	});

export interface ElectionState {
	id: string;
	space_id: string;
	role: ElectionRole;
	seats: number;
	title: string;
	opens_at: string;
	closes_at: string;
	published_at: string | null;
	elected: string[];
	candidates: { user_id: string; display_name: string; consented: boolean; nominated_by_me: boolean }[];
	eligible: number;
	voted: number;
	iMayVote: boolean;
	iVoted: boolean;
	iCanRun: boolean;
}

export interface ElectionResults {
	ballots: number;
	totals: { user_id: string; display_name: string; votes: number }[];
}

export async function openElection(supabase: Client, electionId: string) {
	const [state, results] = await Promise.all([
		supabase.rpc('election_state', { p_election: electionId }),
		supabase.rpc('election_results', { p_election: electionId })
	]);
	if (!state.data) return null;
	return {
		election: state.data as unknown as ElectionState,
		results: (results.data ?? null) as unknown as ElectionResults | null
	};
}

export const proposeCandidate = (supabase: Client, electionId: string, userId: string) =>
	supabase.rpc('propose_candidate', { p_election: electionId, p_user: userId });

export const answerCandidacy = (supabase: Client, electionId: string, accept: boolean) =>
	supabase.rpc('answer_candidacy', { p_election: electionId, p_accept: accept });

export const castBallot = (supabase: Client, electionId: string, candidates: string[]) =>
	supabase.rpc('cast_ballot', { p_election: electionId, p_candidates: candidates });

export const moveElectionWindow = (supabase: Client, electionId: string, step: 'open' | 'close') =>
	supabase.rpc('move_election_window', { p_election: electionId, p_step: step });

export const publishElection = (supabase: Client, electionId: string) =>
	supabase.rpc('publish_election', { p_election: electionId });

// ------------------------------------------------------------- evaluations

export async function spaceEvaluations(supabase: Client, spaceId: string) {
	const { data } = await supabase
		.from('evaluations')
		.select('id, title, anonymous, meeting_id, created_by')
		.eq('space_id', spaceId)
		.order('created_at', { ascending: false })
		.limit(20);
	return data ?? [];
}

export interface Question {
	id: string;
	position: number;
	kind: QuestionKind;
	prompt: string;
	choices: string[];
}

export const createEvaluation = (
	supabase: Client,
	input: {
		id: string;
		spaceId: string;
		title: string;
		anonymous: boolean;
		questions: { kind: QuestionKind; prompt: string; choices: string[] }[];
		meetingId: string | null;
	}
) =>
	supabase.rpc('create_evaluation', {
		p_id: input.id,
		p_space: input.spaceId,
		p_title: input.title,
		p_anonymous: input.anonymous,
		p_questions: input.questions,
		p_meeting: input.meetingId ?? undefined
	});

export interface EvaluationResults {
	responses: number;
	rows: { name: string | null; answers: Record<string, number | string> }[];
}

export async function openEvaluation(supabase: Client, evaluationId: string) {
	const { data: form } = await supabase.from('evaluations').select('*').eq('id', evaluationId).maybeSingle();
	if (!form) return null;
	const [questions, answered, results] = await Promise.all([
		supabase
			.from('evaluation_questions')
			.select('id, position, kind, prompt, choices')
			.eq('evaluation_id', evaluationId)
			.order('position'),
		supabase.from('evaluation_respondents').select('user_id').eq('evaluation_id', evaluationId),
		supabase.rpc('evaluation_results', { p_evaluation: evaluationId })
	]);
	return {
		form,
		questions: (questions.data ?? []) as Question[],
		answered: (answered.data ?? []).length > 0,
		results: (results.data ?? null) as unknown as EvaluationResults | null
	};
}

export const answerEvaluation = (
	supabase: Client,
	evaluationId: string,
	answers: Record<string, number | string>
) => supabase.rpc('answer_evaluation', { p_evaluation: evaluationId, p_answers: answers });

/** The space's library items that can be handed out at a meeting (not retired). */
export async function handouts(supabase: Client, spaceId: string) {
	const { data } = await supabase
		.from('library_resources')
		.select('id, title')
		.eq('space_id', spaceId)
		.is('retired_at', null)
		.order('title')
		.limit(100);
	return data ?? [];
}

/** A meeting's row as its members read it (null for anyone else). */
export async function meetingRow(supabase: Client, meetingId: string) {
	const { data } = await supabase.from('meetings').select('*').eq('id', meetingId).maybeSingle();
	return data;
}

/** A post's thread and space, for marking it as an announcement. */
export async function postPlace(supabase: Client, postId: string) {
	const { data } = await supabase
		.from('posts')
		.select('id, thread_id, space_id')
		.eq('id', postId)
		.maybeSingle();
	return data;
}
