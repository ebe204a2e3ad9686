// What a figures page shows, family by family: each figure's name, how it is
// counted (said on the page and in the CSV), and the names of its parts. The
// keys are those programme_figures() returns (supabase/schemas/programme.sql).
// Messages are called by name (never looked up by a computed key).
import { m } from '$lib/paraglide/messages';
import { formatNumber } from '$lib/i18n/number-format';
import {
	ACTION_STATUSES,
	DIALOGUE_STATUSES,
	STAKEHOLDER_TYPES,
	actionStatusLabel,
	dialogueStatusLabel,
	stakeholderLabel,
	type ActionStatus,
	type DialogueStatus,
	type StakeholderType,
	roleLabel
} from '$lib/vocabulary';
import { kindLabel as libraryKindLabel } from '$lib/library/format';
import { kindName as draftKindName } from '$lib/drafts/labels';
import type { Count, Figure, Figures } from './queries';

export interface FigureDefinition {
	key: string;
	label: () => string;
	how: () => string;
	/** The parts it is broken down into, in order, with their names. */
	parts?: { key: string; label: () => string }[];
}

export interface Family {
	key: string;
	title: () => string;
	figures: FigureDefinition[];
	/** Said under the family's figures (what is not counted, and why). */
	note?: () => string;
}

const LIBRARY_KINDS = ['document', 'image', 'audio', 'video', 'link'] as const;
const DRAFT_KINDS = ['proposal', 'budget', 'plan'] as const;
const ELECTION_ROLES = ['leader', 'deputy'] as const;

/** The network's own figures (the network page only). */
export const NETWORK_FAMILY: Family = {
	key: 'network',
	title: m.programme_family_network,
	figures: [
		{ key: 'spaces', label: m.programme_fig_spaces, how: m.programme_how_spaces },
		{ key: 'spaces_active', label: m.programme_fig_spaces_active, how: m.programme_how_spaces_active },
		{ key: 'people', label: m.programme_fig_people, how: m.programme_how_people },
		{ key: 'spaces_deleted', label: m.programme_fig_spaces_deleted, how: m.programme_how_spaces_deleted },
		{
			key: 'library_items_shared',
			label: m.programme_fig_library_shared,
			how: m.programme_how_library_shared
		},
		{
			key: 'library_saves_shared',
			label: m.programme_fig_library_saves_shared,
			how: m.programme_how_library_saves_shared
		}
	]
};

export const FAMILIES: Family[] = [
	{
		key: 'members',
		title: m.programme_family_members,
		figures: [
			{ key: 'members', label: m.programme_fig_members, how: m.programme_how_members },
			{ key: 'members_joined', label: m.programme_fig_members_joined, how: m.programme_how_members_joined },
			{
				key: 'members_left',
				label: m.programme_fig_members_left,
				how: m.programme_how_members_left,
				parts: [
					{ key: 'left', label: m.programme_part_left },
					{ key: 'removed', label: m.programme_part_removed }
				]
			},
			{ key: 'members_active', label: m.programme_fig_members_active, how: m.programme_how_members_active }
		]
	},
	{
		key: 'discussions',
		title: m.programme_family_discussions,
		figures: [
			{ key: 'threads', label: m.programme_fig_threads, how: m.programme_how_threads },
			{ key: 'posts', label: m.programme_fig_posts, how: m.programme_how_posts }
		]
	},
	{
		// Added by the meetings capability (programme_part_meetings in supabase/schemas/meetings.sql).
		key: 'meetings',
		title: m.programme_family_meetings,
		figures: [
			{ key: 'meetings_held', label: m.programme_fig_meetings_held, how: m.programme_how_meetings_held },
			{
				key: 'meeting_attendance',
				label: m.programme_fig_meeting_attendance,
				how: m.programme_how_meeting_attendance,
				parts: [
					{ key: 'members', label: m.programme_part_members_present },
					{ key: 'participants', label: m.programme_part_participants }
				]
			},
			{
				key: 'meeting_attendance_women',
				label: m.programme_fig_meeting_women,
				how: m.programme_how_meeting_women,
				parts: [
					{ key: 'women', label: m.programme_part_women },
					{ key: 'others', label: m.programme_part_others }
				]
			},
			{
				key: 'meeting_attendance_disability',
				label: m.programme_fig_meeting_disability,
				how: m.programme_how_meeting_disability,
				parts: [
					{ key: 'with_disability', label: m.programme_part_with_disability },
					{ key: 'others', label: m.programme_part_others }
				]
			},
			{
				key: 'elections_published',
				label: m.programme_fig_elections_published,
				how: m.programme_how_elections_published,
				parts: ELECTION_ROLES.map((role) => ({ key: role, label: () => roleLabel(role) }))
			},
			{
				key: 'meeting_decisions',
				label: m.programme_fig_meeting_decisions,
				how: m.programme_how_meeting_decisions
			}
		]
	},
	{
		key: 'dialogues',
		title: m.programme_family_dialogues,
		figures: [
			{
				key: 'dialogues',
				label: m.programme_fig_dialogues,
				how: m.programme_how_dialogues,
				parts: DIALOGUE_STATUSES.map((status: DialogueStatus) => ({
					key: status,
					label: () => dialogueStatusLabel(status)
				}))
			},
			{ key: 'dialogues_held', label: m.programme_fig_dialogues_held, how: m.programme_how_dialogues_held },
			{
				key: 'dialogue_guests',
				label: m.programme_fig_dialogue_guests,
				how: m.programme_how_dialogue_guests,
				parts: STAKEHOLDER_TYPES.map((type: StakeholderType) => ({
					key: type,
					label: () => stakeholderLabel(type)
				}))
			},
			{ key: 'dialogue_posts', label: m.programme_fig_dialogue_posts, how: m.programme_how_dialogue_posts }
		]
	},
	{
		key: 'actions',
		title: m.programme_family_actions,
		figures: [
			{
				key: 'actions',
				label: m.programme_fig_actions,
				how: m.programme_how_actions,
				parts: ACTION_STATUSES.map((status: ActionStatus) => ({
					key: status,
					label: () => actionStatusLabel(status)
				}))
			},
			{
				key: 'actions_overdue',
				label: m.programme_fig_actions_overdue,
				how: m.programme_how_actions_overdue
			},
			{ key: 'actions_due', label: m.programme_fig_actions_due, how: m.programme_how_actions_due },
			{
				key: 'actions_done_on_time',
				label: m.programme_fig_actions_on_time,
				how: m.programme_how_actions_on_time
			},
			{ key: 'actions_done', label: m.programme_fig_actions_done, how: m.programme_how_actions_done }
		]
	},
	{
		key: 'library',
		title: m.programme_family_library,
		figures: [
			{
				key: 'library_items',
				label: m.programme_fig_library_items,
				how: m.programme_how_library_items,
				parts: LIBRARY_KINDS.map((kind) => ({ key: kind, label: () => libraryKindLabel(kind) }))
			},
			// Counted by its own part (library_saves), told by the phones (src/lib/library/SaveOffline.svelte).
			{ key: 'library_saves', label: m.programme_fig_library_saves, how: m.programme_how_library_saves }
		]
	},
	{
		key: 'drafts',
		title: m.programme_family_drafts,
		figures: [
			{
				key: 'drafts_started',
				label: m.programme_fig_drafts_started,
				how: m.programme_how_drafts_started,
				parts: DRAFT_KINDS.map((kind) => ({ key: kind, label: () => draftKindName(kind) }))
			},
			{ key: 'drafts_edited', label: m.programme_fig_drafts_edited, how: m.programme_how_drafts_edited },
			{ key: 'draft_versions', label: m.programme_fig_draft_versions, how: m.programme_how_draft_versions }
		]
	}
];

const EMPTY: Figure = { total: 0, months: {}, breakdown: {} };

export const figureOf = (figures: Figures | null | undefined, key: string): Figure => figures?.[key] ?? EMPTY;

/** A month's count (missing: 0) or a part's. */
export const monthOf = (figure: Figure, month: string): Count =>
	month in figure.months ? figure.months[month] : 0;
export const partOf = (figure: Figure, part: string): Count =>
	part in figure.breakdown ? figure.breakdown[part] : 0;

/** A count in the page's language; null (fewer than 5) said in words. */
export function formatCount(value: Count, locale: string): string {
	if (value === null) return m.programme_fewer_than_5();
	return formatNumber(value, locale);
}

/** Done by the due date, as a share of the actions due: "3 of 4 (75%)", or null when nothing was due (or hidden). */
export function onTimeShare(
	figures: Figures | null | undefined
): { done: number; due: number; percent: number } | null {
	const due = figureOf(figures, 'actions_due').total;
	const done = figureOf(figures, 'actions_done_on_time').total;
	if (!due || done === null) return null;
	return { done, due, percent: Math.round((done / due) * 100) };
}

/** The actions of the period for a stacked bar: done, overdue, and open (agreed or in progress, not overdue). */
export function actionsBar(figures: Figures | null | undefined): {
	done: Count;
	overdue: Count;
	open: Count;
} {
	const actions = figureOf(figures, 'actions');
	const overdue = figureOf(figures, 'actions_overdue').total;
	const agreed = partOf(actions, 'agreed');
	const inProgress = partOf(actions, 'in_progress');
	const open =
		agreed === null || inProgress === null || overdue === null
			? null
			: Math.max(0, agreed + inProgress - overdue);
	return { done: partOf(actions, 'done'), overdue, open };
}
