// Set-up shared by the safe-spaces tests (issue 26): the cast of a space where
// someone writes and others report, a dialogue with a guest, a programme
// officer (for now: a library curator in no space; the programme role arrives
// with issue 27), phones subscribed for notifications, and the worker's claim.
import { createECDH, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import type { Database } from '$lib/supabase/database.types';
import { signedInUser, type Person, type TestStack } from './stack';
import { invitePerson, newId } from './spaces';
import { signUpCast, spaceWithCast, type Cast } from './cast';
import { conveneDialogue, inviteGuest } from './dialogues';

export interface SafetyCast extends Cast {
	author: Person;
	reporters: Person[];
	guest: Person;
	/** Programme staff: a library curator in no space (issue 27 brings the real role). */
	officer: Person;
}

export interface SafetyWorld {
	cast: SafetyCast;
	spaceId: string;
	threadId: string;
	dialogueId: string;
	service: SupabaseClient<Database>;
}

export async function safetyWorld(stack: TestStack): Promise<SafetyWorld> {
	const base = await signUpCast(stack);
	const [author, r1, r2, r3, guest, officer] = await Promise.all([
		signedInUser(stack, 'Au Author'),
		signedInUser(stack, 'Rp One'),
		signedInUser(stack, 'Rp Two'),
		signedInUser(stack, 'Rp Three'),
		signedInUser(stack, 'Gu Landlord'),
		signedInUser(stack, 'Of Officer')
	]);
	await stack.sql('insert into public.library_curators (user_id) values ($1)', [officer.id]);
	const cast: SafetyCast = { ...base, author, reporters: [r1, r2, r3], guest, officer };
	const spaceId = await spaceWithCast(
		cast,
		async (space) => {
			for (const who of [author, r1, r2, r3]) await invitePerson(cast.facilitator, who, space);
		},
		{ new_account_limits: true }
	);
	const threadId = newId();
	const started = await cast.facilitator.client.rpc('start_thread', {
		p_id: threadId,
		p_space: spaceId,
		p_title: 'Giờ làm thêm',
		p_body: 'Chia sẻ kinh nghiệm',
		p_topic: 'labour_law'
	});
	expect(started.error).toBeNull();
	const dialogueId = await conveneDialogue(cast.leader, spaceId);
	await cast.leader.client.from('dialogues').update({ status: 'open' }).eq('id', dialogueId);
	await inviteGuest(cast.leader, guest, dialogueId);
	return { cast, spaceId, threadId, dialogueId, service: serviceClientOf(stack) };
}

export function serviceClientOf(stack: TestStack): SupabaseClient<Database> {
	return createClient<Database>(stack.url, stack.secretKey, {
		auth: { persistSession: false, autoRefreshToken: false },
		realtime: { transport: ws as never }
	});
}

/** Writes a reply as `who`; returns its id (fails the test if refused). */
export async function replyAs(who: Person, threadId: string, spaceId: string, body: string): Promise<string> {
	const id = newId();
	const { error } = await who.client
		.from('posts')
		.insert({ id, thread_id: threadId, space_id: spaceId, body });
	expect(error, `reply by ${who.email}`).toBeNull();
	return id;
}

/** Turns notifications on for `who` (a phone, the space followed, no quiet hours). */
export async function subscribe(who: Person, spaceId: string) {
	const ecdh = createECDH('prime256v1');
	ecdh.generateKeys();
	const saved = await who.client.rpc('save_push_subscription', {
		p_endpoint: `https://fcm.googleapis.com/fcm/send/${randomBytes(12).toString('hex')}`,
		p_p256dh: ecdh.getPublicKey().toString('base64url'),
		p_auth: randomBytes(16).toString('base64url')
	});
	expect(saved.error).toBeNull();
	// insert, not upsert: ON CONFLICT DO UPDATE needs UPDATE, which the push migration revokes
	const followed = await who.client.from('push_spaces').insert({ user_id: who.id, space_id: spaceId });
	expect(followed.error).toBeNull();
	const quiet = await who.client
		.from('push_settings')
		.upsert({ user_id: who.id, quiet_start: '00:00', quiet_end: '00:00' });
	expect(quiet.error).toBeNull();
}

/** What the push worker would claim now (as the worker does, with the secret key). */
export async function claimAll(service: SupabaseClient<Database>) {
	const { data, error } = await service.rpc('claim_push_jobs', { p_limit: 500 });
	expect(error).toBeNull();
	const bundles = data ?? [];
	if (bundles.length) {
		await service.rpc('complete_push_jobs', { p_jobs: bundles.flatMap((b) => b.job_ids), p_outcome: 'sent' });
	}
	return bundles;
}

/** A refusal carrying this stable error word. */
export const refusedWith = (res: { error: { message: string } | null }, word: string) =>
	expect(res.error?.message ?? '', `expected "${word}"`).toContain(word);
