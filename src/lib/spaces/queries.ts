import type { Client } from '$lib/supabase/types';
import { SPACE_ROLES, type SpaceRole } from '$lib/vocabulary';
import type { Database } from '$lib/supabase/database.types';
import { displayNames } from '$lib/supabase/types';
import { generateInviteCode, UNUSABLE_STATES, type UnusableCode } from './invite-code';

export async function mySpaces(supabase: Client) {
	const { data, error } = await supabase.rpc('my_spaces');
	if (error) throw error;
	return data ?? [];
}

type Rpc = Database['public']['Functions'];

/**
 * The "my spaces" page in one request (open_my_spaces(), as the caller, under the
 * policies): my spaces, the dialogues I am a guest of, whether I am a programme
 * officer or library curator, and how many moderation notices to me are unseen.
 */
export async function openMySpaces(supabase: Client) {
	const { data, error } = await supabase.rpc('open_my_spaces');
	if (error) throw error;
	const page = data as {
		spaces: Rpc['my_spaces']['Returns'];
		dialogues: Rpc['my_dialogues']['Returns'];
		programme: { officer?: boolean; curator?: boolean } | null;
		unseen_notices: number;
	};
	return {
		spaces: page.spaces,
		dialogues: page.dialogues,
		programme: { officer: page.programme?.officer === true, curator: page.programme?.curator === true },
		unseenNotices: page.unseen_notices
	};
}

/** The space and my role in it; null when it does not exist or I am not a member (the same answer, on purpose). */
/** The space with my role and when I joined, or null when I am not a member (one call). */
export async function spaceForMember(supabase: Client, spaceId: string) {
	const { data } = await supabase.rpc('space_for_member', { p_space: spaceId });
	return (data ?? null) as MemberSpace | null;
}

/** A space as its member sees it in the space's header (space_for_member()). */
export type MemberSpace = Pick<
	Database['public']['Tables']['spaces']['Row'],
	'id' | 'kind' | 'name' | 'objective' | 'description' | 'primary_language' | 'colour' | 'icon'
> & { myRole: SpaceRole; joinedAt: string };

export type NewSpace = Database['public']['Tables']['spaces']['Insert'];

/**
 * The id is made here so a form submitted twice (slow network, retry) can be
 * recognised as the same space rather than read back from the insert.
 */
export async function createSpace(supabase: Client, input: NewSpace) {
	const id = input.id ?? crypto.randomUUID();
	const { error } = await supabase.from('spaces').insert({ ...input, id });
	return { id: error ? null : id, error };
}

export async function members(supabase: Client, spaceId: string) {
	const { data } = await supabase
		.from('space_members')
		.select('user_id, role, joined_at')
		.eq('space_id', spaceId)
		.order('joined_at');
	const names = await displayNames(
		supabase,
		(data ?? []).map((m) => m.user_id)
	);
	const order = (role: SpaceRole) => SPACE_ROLES.indexOf(role);
	return (data ?? [])
		.map((m) => ({ ...m, display_name: names.get(m.user_id) ?? '' }))
		.sort((a, b) => order(a.role) - order(b.role) || a.display_name.localeCompare(b.display_name));
}

export async function activeInvites(supabase: Client, spaceId: string) {
	const { data } = await supabase
		.from('space_invites')
		.select('id, code, role, expires_at, max_uses, uses')
		.eq('space_id', spaceId)
		.is('revoked_at', null)
		.gt('expires_at', new Date().toISOString())
		.order('created_at', { ascending: false });
	return (data ?? []).filter((invite) => invite.max_uses === null || invite.uses < invite.max_uses);
}

export async function createInvite(
	supabase: Client,
	input: { spaceId: string; role: SpaceRole; days: number; maxUses: number | null; userId: string }
) {
	// A fresh random code collides with an existing one about once in 10^11; retry once anyway.
	for (let attempt = 0; attempt < 2; attempt++) {
		const result = await supabase.from('space_invites').insert({
			space_id: input.spaceId,
			code: generateInviteCode(),
			role: input.role,
			expires_at: new Date(Date.now() + input.days * 86_400_000).toISOString(),
			max_uses: input.maxUses,
			created_by: input.userId
		});
		if (!result.error || !result.error.message.includes('space_invites_code_key')) return result;
	}
	return supabase
		.from('space_invites')
		.insert({ space_id: input.spaceId, code: generateInviteCode(), role: input.role });
}

export const revokeInvite = (supabase: Client, spaceId: string, inviteId: string) =>
	supabase
		.from('space_invites')
		.update({ revoked_at: new Date().toISOString() })
		.eq('id', inviteId)
		.eq('space_id', spaceId)
		.select('id');

export const redeemInvite = (supabase: Client, code: string) =>
	supabase.rpc('redeem_invite', { p_code: code });

export const changeRole = (supabase: Client, spaceId: string, userId: string, role: SpaceRole) =>
	supabase
		.from('space_members')
		.update({ role })
		.eq('space_id', spaceId)
		.eq('user_id', userId)
		.select('user_id');

export const removeMember = (supabase: Client, spaceId: string, userId: string) =>
	supabase.from('space_members').delete().eq('space_id', spaceId).eq('user_id', userId).select('user_id');

export const handOver = (supabase: Client, spaceId: string, toUserId: string) =>
	supabase.rpc('hand_over_facilitation', { p_space: spaceId, p_to: toUserId });

type InvitedSpace = { name: string; kind: Database['public']['Enums']['space_kind'] };

/**
 * What a code leads to for me (invite_state()): my space when I am already a
 * member of it, its name when I may join, or why it no longer works.
 */
export async function inviteState(
	supabase: Client,
	code: string
): Promise<
	| { state: 'member'; spaceId: string; space: InvitedSpace }
	| { state: 'usable'; space: InvitedSpace }
	| { state: UnusableCode }
> {
	const { data } = await supabase.rpc('invite_state', { p_code: code });
	const row = data?.[0];
	const space = row?.name && row.kind ? { name: row.name, kind: row.kind } : null;
	if (row?.state === 'member' && row.space_id && space)
		return { state: 'member', spaceId: row.space_id, space };
	if (row?.state === 'usable' && space) return { state: 'usable', space };
	return { state: UNUSABLE_STATES.find((s) => s === row?.state) ?? 'unknown' };
}

/**
 * What a dialogue code leads to for me (dialogue_invite_state()): the dialogue
 * when I already read it (a member of its space, or its guest), its title when
 * I may join, or why it no longer works.
 */
export async function dialogueInviteState(
	supabase: Client,
	code: string
): Promise<
	| { state: 'reader'; dialogueId: string }
	| { state: 'usable'; title: string; spaceName: string }
	| { state: UnusableCode }
> {
	const { data } = await supabase.rpc('dialogue_invite_state', { p_code: code });
	const row = data?.[0];
	if (row?.state === 'reader' && row.dialogue_id) return { state: 'reader', dialogueId: row.dialogue_id };
	if (row?.state === 'usable')
		return { state: 'usable', title: row.title ?? '', spaceName: row.space_name ?? '' };
	return { state: UNUSABLE_STATES.find((s) => s === row?.state) ?? 'unknown' };
}

/** One invite of the space, for its printable page and QR code: only those who may see it (the policies decide). */
export async function spaceInvite(supabase: Client, spaceId: string, inviteId: string) {
	const { data } = await supabase
		.from('space_invites')
		.select('id, code, expires_at')
		.eq('id', inviteId)
		.eq('space_id', spaceId)
		.maybeSingle();
	return data;
}
