// The app's own channels (migration 20261122000400_realtime_channels): `space:<id>` carries
// change notices written by the database, `thread:<id>` carries presence sent by
// readers and typing notices sent through the database (thread_typing, which
// stamps the sender: 20261205000100_draft_integrity). Real supabase-js clients against the local stack's
// Realtime server, as each role of the space.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { anonClient, startTestStack, type Person, type TestStack } from '../helpers/stack';
import type { SpaceNotice } from '$lib/realtime/live.svelte';
import { membersOf, strangersOf } from '../helpers/cast';
import { createSpace, invitePerson, newId, removeMember, signUpCast, type Cast } from '../helpers/spaces';

/** A change notice on `space:<id>`, as the app reads it (SpaceNotice, its event apart). */
type Notice = { event: string; payload: Omit<SpaceNotice, 'event'> };

async function waitFor(check: () => boolean, timeoutMs = 4_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error('timed out waiting');
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Joins a private channel; resolves with what it receives, or rejects with the join's refusal. */
async function join(who: Person | SupabaseClient, topic: string, presenceKey?: string) {
	const client = 'client' in who ? who.client : who;
	const got: Notice[] = [];
	const state = { status: '' };
	const channel: RealtimeChannel = client
		.channel(topic, { config: { private: true, ...(presenceKey ? { presence: { key: presenceKey } } : {}) } })
		.on('broadcast', { event: '*' }, (message) => got.push(message as unknown as Notice));
	if (presenceKey) channel.on('presence', { event: 'sync' }, () => undefined);
	try {
		await new Promise<void>((resolve, reject) =>
			channel.subscribe((status, error) => {
				state.status = status;
				if (status === 'SUBSCRIBED') resolve();
				else if (status !== 'CLOSED') reject(error ?? new Error(status));
			})
		);
	} catch (refusal) {
		// client.channel() hands back an existing channel of the same topic: drop the refused one.
		await client.removeChannel(channel);
		throw refusal;
	}
	return { channel, got, state };
}

describe('live space channels', () => {
	let stack: TestStack;
	let cast: Cast;
	let spaceId: string;
	let threadId: string;
	let openingId: string;

	const reply = (who: Person, body: string, id = newId()) =>
		who.client.from('posts').insert({ id, thread_id: threadId, space_id: spaceId, body });

	beforeAll(async () => {
		stack = await startTestStack();
		cast = await signUpCast(stack);
		spaceId = await createSpace(cast.facilitator);
		for (const [person, role] of [
			[cast.leader, 'leader'],
			[cast.member, 'member'],
			[cast.removed, 'member']
		] as const) {
			await invitePerson(cast.facilitator, person, spaceId, role);
		}
		await removeMember(cast.facilitator, cast.removed, spaceId);
		threadId = newId();
		const started = await cast.member.client.rpc('start_thread', {
			p_space: spaceId,
			p_title: 'Họp câu lạc bộ',
			p_body: 'Thứ bảy này',
			p_topic: 'club_life',
			p_id: threadId
		});
		expect(started.error).toBeNull();
		[{ id: openingId }] = await stack.sql<{ id: string }>(
			'select id from public.posts where thread_id = $1 and is_opening',
			[threadId]
		);
	});
	afterEach(async () => {
		for (const person of [...membersOf(cast), ...strangersOf(cast), cast.anon])
			await person.client.removeAllChannels();
	});
	afterAll(async () => {
		await stack.stop();
	});

	it('members hear of new threads, replies, edits, removals and reactions, as ids only', async () => {
		const leader = await join(cast.leader, `space:${spaceId}`);
		const postId = newId();
		expect((await reply(cast.member, 'Tôi sẽ đến', postId)).error).toBeNull();
		await waitFor(() => leader.got.some((n) => n.event === 'posts'));
		expect(leader.got.find((n) => n.event === 'posts')?.payload).toMatchObject({
			thread_id: threadId,
			post_id: postId,
			op: 'insert',
			by: cast.member.id
		});
		// Only ids: the words themselves are read through the API, under RLS.
		expect(JSON.stringify(leader.got)).not.toContain('Tôi sẽ đến');

		await cast.member.client.from('posts').update({ body: 'Tôi sẽ đến muộn' }).eq('id', postId);
		await cast.member.client.from('reactions').insert({ post_id: openingId, kind: 'thanks' });
		await cast.member.client.from('posts').update({ deleted_at: new Date().toISOString() }).eq('id', postId);
		const newThread = newId();
		await cast.leader.client.rpc('start_thread', {
			p_space: spaceId,
			p_title: 'Chủ đề mới',
			p_body: 'Nội dung',
			p_topic: 'health',
			p_id: newThread
		});
		await waitFor(() => leader.got.some((n) => n.event === 'threads' && n.payload.thread_id === newThread));
		const seen = leader.got.map((n) => `${n.event}:${n.payload.op}`);
		expect(seen).toEqual([
			'posts:insert',
			'posts:update',
			'reactions:insert',
			'posts:update',
			'threads:insert',
			'posts:insert'
		]);
	});

	it('a reply is announced once: the counter update on its thread is not a second notice', async () => {
		const member = await join(cast.member, `space:${spaceId}`);
		await reply(cast.leader, 'Một lần');
		await waitFor(() => member.got.length >= 1);
		await sleep(300);
		expect(member.got.map((n) => n.event)).toEqual(['posts']);
	});

	it('outsiders, anon and members of another space cannot join the space or thread channels', async () => {
		const elsewhere = await createSpace(cast.outsider);
		expect(elsewhere).toBeTruthy();
		for (const topic of [`space:${spaceId}`, `thread:${threadId}`]) {
			await expect(join(cast.outsider, topic)).rejects.toThrow(/permissions to read/);
			await expect(join(anonClient(stack) as unknown as SupabaseClient, topic)).rejects.toThrow();
		}
		// Made-up or malformed topics are nobody's.
		for (const topic of [`space:${newId()}`, 'space:not-a-uuid', `space:${spaceId}x`, 'thread:*']) {
			await expect(join(cast.member, topic)).rejects.toThrow(/permissions to read/);
		}
	});

	it('a removed member cannot join, and one removed while listening hears nothing posted 3 s later', async () => {
		await expect(join(cast.removed, `space:${spaceId}`)).rejects.toThrow(/permissions to read/);
		const soonGone = cast.removed;
		await invitePerson(cast.facilitator, soonGone, spaceId, 'member');
		const listening = await join(soonGone, `space:${spaceId}`);
		const staying = await join(cast.leader, `space:${spaceId}`);
		await removeMember(cast.facilitator, soonGone, spaceId);
		await sleep(3_100); // the server reuses a reader's RLS decision for up to 3 s
		await reply(cast.member, 'Sau khi bạn rời nhóm');
		await waitFor(() => staying.got.length >= 1 && listening.state.status === 'CLOSED');
		expect(listening.got.filter((n) => n.event === 'posts')).toEqual([]);
	});

	it('readers of a thread see who is here and who is typing; nobody can speak on the space topic', async () => {
		const leaderRoom = await join(cast.leader, `thread:${threadId}`, cast.leader.id);
		const memberRoom = await join(cast.member, `thread:${threadId}`, cast.member.id);
		await leaderRoom.channel.track({ name: 'Le Leader' });
		await memberRoom.channel.track({ name: 'Me Member' });
		await waitFor(() => Object.keys(leaderRoom.channel.presenceState()).length === 2);
		expect(Object.keys(memberRoom.channel.presenceState()).sort()).toEqual(
			[cast.leader.id, cast.member.id].sort()
		);

		// A typing notice in someone else's name, sent straight on the channel, reaches nobody;
		// through the database it arrives with the sender's own id.
		await memberRoom.channel.send({ type: 'broadcast', event: 'typing', payload: { id: cast.leader.id } });
		await sleep(400);
		expect(leaderRoom.got.filter((n) => n.event === 'typing')).toEqual([]);
		expect((await cast.member.client.rpc('thread_typing', { p_thread: threadId })).error).toBeNull();
		await waitFor(() => leaderRoom.got.some((n) => n.event === 'typing'));
		expect(leaderRoom.got.find((n) => n.event === 'typing')?.payload).toEqual({ id: cast.member.id });
		for (const who of strangersOf(cast))
			expect((await who.client.rpc('thread_typing', { p_thread: threadId })).error?.message).toContain(
				'not_allowed'
			);

		// The space topic is the database's: a member's broadcast there is dropped.
		const spaceListener = await join(cast.leader, `space:${spaceId}`);
		const memberOnSpace = await join(cast.member, `space:${spaceId}`);
		await memberOnSpace.channel.send({ type: 'broadcast', event: 'posts', payload: { thread_id: 'forged' } });
		await sleep(500);
		expect(spaceListener.got).toEqual([]);
	});
});
