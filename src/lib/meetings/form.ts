// Reading the meetings forms with the limits of ./limits (the schema's).
// Messages come back translated (see $lib/ui/form).
import { m } from '$lib/paraglide/messages';
import { hasProblems, isUuid, readChoice, readId, readString, readText, type Problems } from '$lib/ui/form';
import { cleanText } from '$lib/text/clean';
import * as L from './limits';
import { readActionForm, splitOwner } from '$lib/dialogues/form';
import type { ElectionRole, MeetingAnswer, PollKind, PollResultsWhen, QuestionKind } from './queries';

/**
 * A date and time typed in the browser's local time (datetime-local) as an
 * ISO instant. The page sends the browser's offset (minutes, as
 * Date#getTimezoneOffset); without JavaScript it is Vietnam's and Cambodia's (-420).
 */
function readLocalTime(form: FormData, name: string, problems: Problems, required = true): string | null {
	const raw = readString(form, name).trim();
	if (!raw) {
		if (required) problems[name] = m.meeting_error_time();
		return null;
	}
	const local = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(raw);
	if (!local) {
		problems[name] = m.meeting_error_time();
		return null;
	}
	const offset = Number(readString(form, 'tz_offset') || '-420');
	const [, y, mo, d, h, mi] = local.map(Number);
	return new Date(
		Date.UTC(y, mo - 1, d, h, mi) + (Number.isFinite(offset) ? offset : -420) * 60_000
	).toISOString();
}

/** A whole number within limits, or a problem. */
function readCount(
	form: FormData,
	name: string,
	problems: Problems,
	min: number,
	max: number,
	fallback = min
) {
	const raw = readString(form, name).trim();
	if (!raw) return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < min || value > max) {
		problems[name] = m.meeting_error_number({ min, max });
		return fallback;
	}
	return value;
}

export function readPlanForm(form: FormData) {
	const problems: Problems = {};
	const agenda: { title: string; owner: string }[] = [];
	for (let i = 0; i < L.AGENDA_ROWS; i++) {
		const title = readText(form, `agenda_${i}`, problems, { max: L.AGENDA_ITEM_MAX });
		const owner = readString(form, `owner_${i}`);
		if (title) agenda.push({ title, owner: isUuid(owner) ? owner : '' });
	}
	const resource = readString(form, 'resource_member');
	const values = {
		id: readId(form),
		topic: readText(form, 'topic', problems, { required: true, max: L.TOPIC_MAX }),
		startsLocal: readString(form, 'starts_at'),
		startsAt: readLocalTime(form, 'starts_at', problems),
		duration: readCount(form, 'duration', problems, L.DURATION_MIN, L.DURATION_MAX, 120),
		venue: readText(form, 'venue', problems, { max: L.VENUE_MAX }),
		resourceMember: isUuid(resource) ? resource : null,
		resourceNote: readText(form, 'resource_note', problems, { max: L.RESOURCE_NOTE_MAX }),
		message: readText(form, 'message', problems, { max: 2000 }),
		agenda,
		agendaRows: Array.from({ length: L.AGENDA_ROWS }, (_, i) => ({
			title: readString(form, `agenda_${i}`),
			owner: readString(form, `owner_${i}`)
		})),
		materials: form.getAll('material').filter((v): v is string => typeof v === 'string' && isUuid(v))
	};
	if (values.startsAt && Date.parse(values.startsAt) < Date.now())
		problems.starts_at = m.meeting_error_in_past();
	return { values, problems, ok: !hasProblems(problems) };
}

export const readAnswer = (form: FormData): MeetingAnswer | null => {
	const value = readString(form, 'answer');
	return value === 'going' || value === 'maybe' || value === 'cant' ? value : null;
};

export function readMinutes(form: FormData) {
	const problems: Problems = {};
	const minutes = readText(form, 'minutes', problems, { max: L.MINUTES_MAX });
	return { item: readString(form, 'item'), minutes, problems, ok: !hasProblems(problems) };
}

export function readDecision(form: FormData) {
	const problems: Problems = {};
	const item = readString(form, 'item');
	const text = readText(form, 'text', problems, { required: true, max: L.DECISION_MAX });
	return { id: readId(form), item: isUuid(item) ? item : null, text, problems, ok: !hasProblems(problems) };
}

export function readAgendaItem(form: FormData) {
	const problems: Problems = {};
	const title = readText(form, 'title', problems, { required: true, max: L.AGENDA_ITEM_MAX });
	const owner = readString(form, 'owner');
	return { title, owner: isUuid(owner) ? owner : null, problems, ok: !hasProblems(problems) };
}

export function readParticipants(form: FormData) {
	const problems: Problems = {};
	const people = readCount(form, 'people', problems, 1, L.PARTICIPANTS_MAX, 1);
	const values = {
		id: readId(form),
		name: readText(form, 'name', problems, { max: L.PARTICIPANT_NAME_MAX }),
		people,
		women: readCount(form, 'women', problems, 0, L.PARTICIPANTS_MAX, 0),
		disability: readCount(form, 'disability', problems, 0, L.PARTICIPANTS_MAX, 0)
	};
	if (values.women > people) problems.women = m.meeting_error_more_than_people();
	if (values.disability > people) problems.disability = m.meeting_error_more_than_people();
	return { values, problems, ok: !hasProblems(problems) };
}

export function readGuestJoin(form: FormData) {
	const problems: Problems = {};
	const values = {
		code: readString(form, 'code').trim(),
		organisation: readText(form, 'organisation', problems, { required: true, max: L.ORGANISATION_MAX }),
		position: readText(form, 'position', problems, { max: L.POSITION_MAX })
	};
	return { values, problems, ok: !hasProblems(problems) };
}

const tristate = (value: string) => (value === 'yes' ? true : value === 'no' ? false : null);

export const readDeclaration = (form: FormData) => ({
	woman: tristate(readString(form, 'woman')),
	disability: tristate(readString(form, 'disability'))
});

export function readPollForm(form: FormData) {
	const problems: Problems = {};
	const kind = readChoice<PollKind>(form, 'kind', ['single', 'multiple', 'time'], 'single');
	const labels: string[] = [];
	const times: string[] = [];
	const rows = Array.from({ length: L.OPTION_ROWS }, (_, i) => readString(form, `option_${i}`));
	const timeRows = Array.from({ length: L.OPTION_ROWS }, (_, i) => readString(form, `time_${i}`));
	if (kind === 'time') {
		timeRows.forEach((_, i) => {
			const at = readLocalTime(form, `time_${i}`, problems, false);
			if (at) times.push(at);
		});
	} else {
		rows.forEach((_, i) => {
			const label = readText(form, `option_${i}`, problems, { max: L.OPTION_MAX });
			if (cleanText(label).visible) labels.push(label);
		});
	}
	if ((kind === 'time' ? times : labels).length < L.OPTIONS_MIN) problems.options = m.poll_error_options();
	const values = {
		id: readId(form),
		question: readText(form, 'question', problems, { required: true, max: L.QUESTION_MAX }),
		kind,
		resultsWhen: readChoice<PollResultsWhen>(
			form,
			'results_when',
			['after_vote', 'after_close'],
			'after_vote'
		),
		closesLocal: readString(form, 'closes_at'),
		closesAt: readLocalTime(form, 'closes_at', problems),
		rows,
		timeRows,
		labels,
		times
	};
	if (values.closesAt && Date.parse(values.closesAt) <= Date.now())
		problems.closes_at = m.poll_error_closes_past();
	return { values, problems, ok: !hasProblems(problems) };
}

export function readElectionForm(form: FormData) {
	const problems: Problems = {};
	const values = {
		id: readId(form),
		title: readText(form, 'title', problems, { required: true, max: L.ELECTION_TITLE_MAX }),
		role: readChoice<ElectionRole>(form, 'role', ['leader', 'deputy'], 'leader'),
		seats: readCount(form, 'seats', problems, 1, L.SEATS_MAX, 1),
		opensLocal: readString(form, 'opens_at'),
		closesLocal: readString(form, 'closes_at'),
		opensAt: readLocalTime(form, 'opens_at', problems),
		closesAt: readLocalTime(form, 'closes_at', problems)
	};
	if (values.opensAt && Date.parse(values.opensAt) < Date.now() - 5 * 60_000)
		problems.opens_at = m.election_error_opens_past();
	if (values.opensAt && values.closesAt && Date.parse(values.closesAt) <= Date.parse(values.opensAt))
		problems.closes_at = m.election_error_window();
	return { values, problems, ok: !hasProblems(problems) };
}

export function readEvaluationForm(form: FormData) {
	const problems: Problems = {};
	const rows = Array.from({ length: L.EVALUATION_QUESTION_ROWS }, (_, i) => ({
		kind: readChoice<QuestionKind>(form, `kind_${i}`, ['rating', 'choice', 'text'], 'rating'),
		prompt: readString(form, `prompt_${i}`),
		choices: readString(form, `choices_${i}`)
	}));
	const questions: { kind: QuestionKind; prompt: string; choices: string[] }[] = [];
	rows.forEach((row, i) => {
		const prompt = readText(form, `prompt_${i}`, problems, { max: L.QUESTION_MAX });
		if (!cleanText(prompt).visible) return;
		const choices =
			row.kind === 'choice'
				? row.choices
						.split(/\r?\n|;/)
						.map((c) => cleanText(c).text)
						.filter(Boolean)
				: [];
		if (row.kind === 'choice' && (choices.length < 2 || choices.length > L.CHOICES_MAX))
			problems[`choices_${i}`] = m.evaluation_error_choices({ max: L.CHOICES_MAX });
		questions.push({ kind: row.kind, prompt, choices });
	});
	if (!questions.length) problems.form = m.evaluation_error_questions();
	const meeting = readString(form, 'meeting');
	const values = {
		id: readId(form),
		title: readText(form, 'title', problems, { required: true, max: L.EVALUATION_TITLE_MAX }),
		anonymous: readString(form, 'anonymous') !== 'no',
		meetingId: isUuid(meeting) ? meeting : null,
		rows,
		questions
	};
	return { values, problems, ok: !hasProblems(problems) };
}

/** An evaluation's answers: ratings as numbers, choices and texts as text; blanks left out. */
export function readEvaluationAnswers(form: FormData, questions: { id: string; kind: QuestionKind }[]) {
	const problems: Problems = {};
	const answers: Record<string, number | string> = {};
	for (const q of questions) {
		const raw = readString(form, `q_${q.id}`);
		if (!raw.trim()) continue;
		if (q.kind === 'rating') answers[q.id] = Number(raw);
		else if (q.kind === 'choice') answers[q.id] = raw;
		else answers[q.id] = readText(form, `q_${q.id}`, problems, { max: L.ANSWER_TEXT_MAX });
	}
	return { answers, problems, ok: !hasProblems(problems) };
}

/**
 * A decision made an agreed action: which dialogue, then the dialogue's own
 * action form (who is responsible, who supports, by when; its rules and words).
 */
export function readDecisionAction(form: FormData) {
	const dialogue = readString(form, 'dialogue');
	const ownerChoice = readString(form, 'owner_choice');
	const owner = splitOwner(ownerChoice);
	form.set('owner_kind', owner.kind);
	form.set('owner', owner.value);
	// The words are the decision's: the dialogue's reader needs some, the database writes the decision's.
	form.set('description', '-');
	const { values, problems } = readActionForm(form);
	if (!isUuid(dialogue)) problems.dialogue = m.meeting_action_error_dialogue();
	return {
		values: {
			dialogueId: dialogue,
			ownerChoice,
			ownerKind: values.ownerKind,
			ownerUser: values.ownerUser,
			ownerOrganisation: values.ownerOrganisation,
			supporting: values.supporting,
			dueOn: values.dueOn
		},
		problems,
		ok: !hasProblems(problems)
	};
}
