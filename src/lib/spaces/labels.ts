// Translated names for values stored in the database (roles, kinds, topics).
import { m } from '$lib/paraglide/messages';
import type { SpaceKind, SpaceRole } from './queries';
import type { ReactionKind, Topic } from '$lib/threads/queries';

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

export const SPACE_COLOURS = ['teal', 'indigo', 'rose', 'amber', 'green', 'slate'] as const;
export const colourLabel = (colour: string) =>
	({
		teal: m.colour_teal,
		indigo: m.colour_indigo,
		rose: m.colour_rose,
		amber: m.colour_amber,
		green: m.colour_green,
		slate: m.colour_slate
	})[colour as (typeof SPACE_COLOURS)[number]]?.() ?? colour;
