// The one cast of the authorization tests: a person in each role of a space,
// an outsider, a removed member and an anonymous visitor. Everyone signs up
// through the real sign-up + emailed code flow (signedInUser) and acts through
// supabase-js with their own session, as the app does.
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '$lib/supabase/database.types';
import { anonClient, signedInUser, type Person, type TestStack } from './stack';
import { createSpace, invitePerson, removeMember, type SpaceInsert } from './spaces';

export interface Cast {
	facilitator: Person;
	leader: Person;
	deputy: Person;
	member: Person;
	/** Signed in, in no space of the cast. */
	outsider: Person;
	/** A member until spaceWithCast removed them (traces they left stay). */
	removed: Person;
	/** Not signed in: the publishable key only. Like everyone else here, it acts through `.client`. */
	anon: { client: SupabaseClient<Database> };
}

/** Signs up the cast (in parallel: a sign-up costs ~0.3 s). */
export async function signUpCast(stack: TestStack, tag = ''): Promise<Cast> {
	const [facilitator, leader, deputy, member, outsider, removed] = await Promise.all([
		signedInUser(stack, `Fa Facilitator${tag}`),
		signedInUser(stack, `Le Leader${tag}`),
		signedInUser(stack, `De Deputy${tag}`),
		signedInUser(stack, `Me Member${tag}`),
		signedInUser(stack, `Ou Outsider${tag}`),
		signedInUser(stack, `Re Removed${tag}`)
	]);
	return { facilitator, leader, deputy, member, outsider, removed, anon: { client: anonClient(stack) } };
}

/** The four roles of a member, in order of rank. */
export const membersOf = (cast: Cast): Person[] => [cast.facilitator, cast.leader, cast.deputy, cast.member];
/** Facilitator, leader and deputy: the moderators. */
export const moderatorsOf = (cast: Cast): Person[] => [cast.facilitator, cast.leader, cast.deputy];
/** Signed in but not (or no longer) in the space. */
export const strangersOf = (cast: Cast): Person[] => [cast.outsider, cast.removed];

/**
 * A space where the cast holds its roles. `beforeRemoval` runs while the
 * soon-removed person is still a member (so they can leave traces: a thread,
 * a post, a reaction), then the facilitator removes them.
 */
export async function spaceWithCast(
	cast: Cast,
	beforeRemoval: (spaceId: string) => Promise<void> = () => Promise.resolve(),
	fields: Partial<SpaceInsert> = {}
): Promise<string> {
	const spaceId = await createSpace(cast.facilitator, fields);
	await invitePerson(cast.facilitator, cast.leader, spaceId, 'leader');
	await invitePerson(cast.facilitator, cast.deputy, spaceId, 'deputy');
	await invitePerson(cast.facilitator, cast.member, spaceId, 'member');
	await invitePerson(cast.facilitator, cast.removed, spaceId, 'member');
	await beforeRemoval(spaceId);
	await removeMember(cast.facilitator, cast.removed, spaceId);
	return spaceId;
}
