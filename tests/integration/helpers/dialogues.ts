// Set-up for the dialogue tests, through supabase-js as the person concerned:
// a convener convenes and invites, a guest joins with a badge.
import { expect } from 'vitest';
import { generateInviteCode } from '$lib/spaces/invite-code';
import type { Database } from '$lib/supabase/database.types';
import { newId } from './spaces';
import type { Person } from './stack';

type StakeholderType = Database['public']['Enums']['stakeholder_type'];

export async function conveneDialogue(
	convener: Person,
	spaceId: string,
	fields: { title?: string; purpose?: string; agenda?: string[] } = {}
): Promise<string> {
	const id = newId();
	const { data, error } = await convener.client.rpc('convene_dialogue', {
		p_id: id,
		p_space: spaceId,
		p_title: fields.title ?? 'Đối thoại với chủ nhà trọ',
		p_purpose: fields.purpose ?? 'Giá điện nước và an ninh khu trọ',
		p_agenda: fields.agenda ?? ['Giá điện', 'Khóa cổng ban đêm'],
		p_language: 'vi'
	});
	expect(error).toBeNull();
	expect(data).toBe(id);
	return id;
}

export async function dialogueInvite(
	convener: Person,
	dialogueId: string,
	extra: Partial<Database['public']['Tables']['dialogue_invites']['Insert']> = {}
) {
	const code = generateInviteCode();
	const { error } = await convener.client
		.from('dialogue_invites')
		.insert({ dialogue_id: dialogueId, code, created_by: convener.id, ...extra });
	return { code, error };
}

export const join = (
	guest: Person,
	code: string,
	badge: { type?: StakeholderType; organisation?: string; position?: string } = {}
) =>
	guest.client.rpc('join_dialogue', {
		p_code: code,
		p_stakeholder_type: badge.type ?? 'landlord',
		p_organisation: badge.organisation ?? 'Nhà trọ Hòa Bình',
		p_position: badge.position ?? 'Chủ nhà'
	});

/** The convener invites `guest`, who joins with a badge; fails the test if either step fails. */
export async function inviteGuest(
	convener: Person,
	guest: Person,
	dialogueId: string,
	badge: Parameters<typeof join>[2] = {}
) {
	const invite = await dialogueInvite(convener, dialogueId);
	expect(invite.error).toBeNull();
	const joined = await join(guest, invite.code, badge);
	expect(joined.error).toBeNull();
	expect(joined.data).toBe(dialogueId);
}
