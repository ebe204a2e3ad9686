// The app's shared vocabulary: the values the database's enums hold (roles,
// kinds, topics, reactions, languages, colours), in the order the app lists
// them, and their translated names. One home, so a new value is added once.
import { m } from '$lib/paraglide/messages';
import type { Database } from '$lib/supabase/database.types';
import type { Locale } from '$lib/paraglide/runtime';

type Enums = Database['public']['Enums'];

export type SpaceRole = Enums['space_role'];
export type SpaceKind = Enums['space_kind'];
export type Topic = Enums['thread_topic'];
export type ReactionKind = Enums['reaction_kind'];
export type Language = Enums['app_language'];

export const SPACE_ROLES: SpaceRole[] = ['facilitator', 'leader', 'deputy', 'member'];
/** Facilitators, leaders and deputies pin, lock and remove posts and invite members. */
const MODERATOR_ROLES: SpaceRole[] = ['facilitator', 'leader', 'deputy'];
export const isModerator = (role: SpaceRole | null | undefined) => !!role && MODERATOR_ROLES.includes(role);
export const TOPICS: Topic[] = [
	'labour_law',
	'health',
	'social_protection',
	'club_life',
	'proposals',
	'other'
];
export const REACTIONS: ReactionKind[] = ['like', 'thanks', 'agree', 'question'];
export const LANGUAGES: Language[] = ['vi', 'km', 'en'];
export const SPACE_COLOURS = ['teal', 'indigo', 'rose', 'amber', 'green', 'slate'] as const;

export const roleLabel = (role: SpaceRole) =>
	({ facilitator: m.role_facilitator, leader: m.role_leader, deputy: m.role_deputy, member: m.role_member })[
		role
	]();

export const kindLabel = (kind: SpaceKind) => ({ cop: m.kind_cop, club: m.kind_club })[kind]();

export const topicLabel = (topic: Topic) =>
	({
		labour_law: m.topic_labour_law,
		health: m.topic_health,
		social_protection: m.topic_social_protection,
		club_life: m.topic_club_life,
		proposals: m.topic_proposals,
		other: m.topic_other
	})[topic]();

export const reactionLabel = (kind: ReactionKind) =>
	({
		like: m.reaction_like,
		thanks: m.reaction_thanks,
		agree: m.reaction_agree,
		question: m.reaction_question
	})[kind]();

export const reactionSymbol: Record<ReactionKind, string> = {
	like: '👍',
	thanks: '🙏',
	agree: '✅',
	question: '❓'
};

export const colourLabel = (colour: string) =>
	({
		teal: m.colour_teal,
		indigo: m.colour_indigo,
		rose: m.colour_rose,
		amber: m.colour_amber,
		green: m.colour_green,
		slate: m.colour_slate
	})[colour as (typeof SPACE_COLOURS)[number]]?.() ?? colour;

// Dialogues (src/lib/dialogues).
export type DialogueStatus = Enums['dialogue_status'];
export type StakeholderType = Enums['stakeholder_type'];
export type ActionStatus = Enums['action_status'];
export type ActionOwnerKind = Enums['action_owner_kind'];
export type PostOutcome = Enums['post_outcome'];

export const DIALOGUE_STATUSES: DialogueStatus[] = ['preparing', 'open', 'concluded', 'archived'];
export const STAKEHOLDER_TYPES: StakeholderType[] = [
	'landlord',
	'labour_union',
	'womens_union',
	'company',
	'local_authority',
	'public_service',
	'expert',
	'ngo_donor',
	'other'
];
export const ACTION_STATUSES: ActionStatus[] = ['agreed', 'in_progress', 'done', 'dropped'];
export const ACTION_OWNER_KINDS: ActionOwnerKind[] = ['guest', 'organisation', 'club'];
export const POST_OUTCOMES: PostOutcome[] = ['issue', 'proposal', 'commitment'];

/** In the page's language, or in `locale` (a report in the dialogue's language). */
export const dialogueStatusLabel = (status: DialogueStatus, locale?: Locale) =>
	({
		preparing: m.dialogue_status_preparing,
		open: m.dialogue_status_open,
		concluded: m.dialogue_status_concluded,
		archived: m.dialogue_status_archived
	})[status]({}, { locale });

/** In the page's language, or in `locale` (a report in the dialogue's language). */
export const stakeholderLabel = (type: StakeholderType, locale?: Locale) =>
	({
		landlord: m.stakeholder_landlord,
		labour_union: m.stakeholder_labour_union,
		womens_union: m.stakeholder_womens_union,
		company: m.stakeholder_company,
		local_authority: m.stakeholder_local_authority,
		public_service: m.stakeholder_public_service,
		expert: m.stakeholder_expert,
		ngo_donor: m.stakeholder_ngo_donor,
		other: m.stakeholder_other
	})[type]({}, { locale });

/** In the page's language, or in `locale` (a report in the dialogue's language). */
export const actionStatusLabel = (status: ActionStatus, locale?: Locale) =>
	({
		agreed: m.action_status_agreed,
		in_progress: m.action_status_in_progress,
		done: m.action_status_done,
		dropped: m.action_status_dropped
	})[status]({}, { locale });

/** In the page's language, or in `locale` (a report in the dialogue's language). */
export const outcomeLabel = (outcome: PostOutcome, locale?: Locale) =>
	({ issue: m.outcome_issue, proposal: m.outcome_proposal, commitment: m.outcome_commitment })[outcome](
		{},
		{ locale }
	);
