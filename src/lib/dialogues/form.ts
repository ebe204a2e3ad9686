// Reading the dialogue forms, with the limits the schema sets. Messages come
// back translated (see $lib/ui/form).
import { m } from '$lib/paraglide/messages';
import { isUuid, readChoice, readId, readString, readText, type Problems } from '$lib/ui/form';
import { BODY_MAX, TITLE_MAX } from '$lib/threads/limits';
import { cleanText } from '$lib/text/clean';
import {
	ACTION_OWNER_KINDS,
	ACTION_STATUSES,
	LANGUAGES,
	POST_OUTCOMES,
	STAKEHOLDER_TYPES,
	type ActionStatus,
	type PostOutcome
} from '$lib/vocabulary';
import {
	ACTION_MAX,
	AGENDA_ITEM_MAX,
	AGENDA_ITEMS_MAX,
	ORGANISATION_MAX,
	POSITION_MAX,
	PURPOSE_MAX,
	SUPPORTING_MAX,
	UPDATE_MAX,
	VENUE_MAX
} from './limits';

const ok = (problems: Problems) => Object.keys(problems).length === 0;

/** The agenda: one item per line (a textarea works without JavaScript), empty lines dropped. */
function readAgenda(form: FormData, problems: Problems): string[] {
	const raw = readString(form, 'agenda');
	const items = raw
		.split(/\r?\n/)
		.map((line) => cleanText(line.replace(/^\s*[-•*\d.)]+\s*/, '')))
		.filter((line) => line.visible)
		.map((line) => line.text);
	if (items.length > AGENDA_ITEMS_MAX)
		problems.agenda = m.dialogue_error_agenda_count({ max: AGENDA_ITEMS_MAX });
	else if (items.some((item) => item.length > AGENDA_ITEM_MAX))
		problems.agenda = m.dialogue_error_agenda_item_long({ max: AGENDA_ITEM_MAX });
	return items;
}

/** A date and time typed in the browser's local time (datetime-local), as an ISO instant. */
function readMeeting(form: FormData, offsetMinutes: number, problems: Problems): string | null {
	const raw = readString(form, 'meeting_at').trim();
	if (!raw) return null;
	const local = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(raw);
	if (!local) {
		problems.meeting_at = m.dialogue_error_meeting();
		return null;
	}
	const [, y, mo, d, h, mi] = local.map(Number);
	return new Date(Date.UTC(y, mo - 1, d, h, mi) + offsetMinutes * 60_000).toISOString();
}

export function readConveneForm(form: FormData) {
	const problems: Problems = {};
	// The browser says its offset from UTC (minutes, as Date#getTimezoneOffset); Vietnam and Cambodia otherwise.
	const offset = Number(readString(form, 'tz_offset') || '-420');
	const values = {
		id: readId(form),
		title: readText(form, 'title', problems, { required: true, max: TITLE_MAX }),
		purpose: readText(form, 'purpose', problems, { required: true, max: PURPOSE_MAX }),
		agendaText: readString(form, 'agenda'),
		agenda: readAgenda(form, problems),
		meetingLocal: readString(form, 'meeting_at'),
		meetingAt: readMeeting(form, Number.isFinite(offset) ? offset : -420, problems),
		venue: readText(form, 'venue', problems, { max: VENUE_MAX }),
		language: readChoice(form, 'language', LANGUAGES, 'vi')
	};
	return { values, problems, ok: ok(problems) };
}

export function readDialogueReply(form: FormData) {
	const problems: Problems = {};
	const body = readText(form, 'body', problems, { required: true, max: BODY_MAX });
	return { body, id: readId(form), anonymous: form.get('anonymous') === '1', problems, ok: ok(problems) };
}

export function readJoinForm(form: FormData) {
	const problems: Problems = {};
	const values = {
		code: readString(form, 'code').trim(),
		stakeholderType: readChoice(form, 'stakeholder_type', STAKEHOLDER_TYPES, 'other'),
		organisation: readText(form, 'organisation', problems, {
			required: true,
			max: ORGANISATION_MAX,
			requiredMessage: m.dialogue_error_organisation()
		}),
		position: readText(form, 'position', problems, { max: POSITION_MAX })
	};
	if (!STAKEHOLDER_TYPES.includes(form.get('stakeholder_type') as never))
		problems.stakeholder_type = m.dialogue_error_stakeholder();
	return { values, problems, ok: ok(problems) };
}

export const readOutcome = (form: FormData): PostOutcome | null =>
	POST_OUTCOMES.includes(form.get('outcome') as PostOutcome) ? (form.get('outcome') as PostOutcome) : null;

/** Today in Vietnam/Cambodia (UTC+7), as the date input shows it. */
export const todayInIndochina = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

export function readActionForm(form: FormData) {
	const problems: Problems = {};
	const ownerKind = readChoice(form, 'owner_kind', ACTION_OWNER_KINDS, 'club');
	const ownerChoice = readString(form, 'owner');
	const dueOn = readString(form, 'due_on').trim() || null;
	const values = {
		id: readId(form),
		description: readText(form, 'description', problems, { required: true, max: ACTION_MAX }),
		ownerKind,
		// The owner select holds "guest:<id>", "organisation:<name>" or "club".
		ownerUser: ownerKind === 'guest' ? ownerChoice : null,
		ownerOrganisation: ownerKind === 'organisation' ? ownerChoice : null,
		supporting: readText(form, 'supporting', problems, { max: SUPPORTING_MAX }),
		dueOn,
		sourcePost: readString(form, 'source_post') || null
	};
	if (ownerKind !== 'club' && !ownerChoice) problems.owner = m.action_error_owner();
	if (ownerKind === 'guest' && ownerChoice && !isUuid(ownerChoice)) problems.owner = m.action_error_owner();
	if (dueOn && !/^\d{4}-\d{2}-\d{2}$/.test(dueOn)) problems.due_on = m.action_error_due_format();
	else if (dueOn && dueOn < todayInIndochina()) problems.due_on = m.action_error_due_past();
	return { values, problems, ok: ok(problems) };
}

/** The owner select's value: who is responsible, in one field. */
export function splitOwner(value: string): { kind: 'guest' | 'organisation' | 'club'; value: string } {
	if (value.startsWith('guest:')) return { kind: 'guest', value: value.slice(6) };
	if (value.startsWith('organisation:')) return { kind: 'organisation', value: value.slice(13) };
	return { kind: 'club', value: '' };
}

export function readUpdateForm(form: FormData) {
	const problems: Problems = {};
	const status = form.get('status');
	const values = {
		id: readId(form),
		body: readText(form, 'body', problems, { max: UPDATE_MAX }),
		status: ACTION_STATUSES.includes(status as ActionStatus) ? (status as ActionStatus) : null
	};
	if (values.status === 'dropped' && !values.body) problems.body = m.action_error_dropped_reason();
	return { values, problems, ok: ok(problems) };
}
