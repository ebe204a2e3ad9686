// The app's shared vocabulary: the values the database's enums hold (roles,
// kinds, topics, reactions, languages, colours), in the order the app lists
// them, and their translated names. One home, so a new value is added once.
import { m } from '$lib/paraglide/messages';
import type { Database } from '$lib/supabase/database.types';

type Enums = Database['public']['Enums'];

export type SpaceRole = Enums['space_role'];
export type SpaceKind = Enums['space_kind'];
export type Topic = Enums['thread_topic'];
export type ReactionKind = Enums['reaction_kind'];
export type Language = Enums['app_language'];

export const SPACE_ROLES: SpaceRole[] = ['facilitator', 'leader', 'deputy', 'member'];
/** Facilitators, leaders and deputies pin, lock and remove posts and invite members. */
export const MODERATOR_ROLES: SpaceRole[] = ['facilitator', 'leader', 'deputy'];
export const isModerator = (role: SpaceRole | null | undefined) => !!role && MODERATOR_ROLES.includes(role);
export const SPACE_KINDS: SpaceKind[] = ['cop', 'club'];
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
