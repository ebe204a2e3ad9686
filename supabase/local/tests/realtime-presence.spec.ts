// Presence with the real supabase-js client: state on join, join/leave events,
// updates, untrack, and leaving by going away.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { anonClient, startTestStack, type TestStack } from './helpers';

function subscribed(channel: RealtimeChannel): Promise<void> {
	return new Promise((resolve, reject) =>
		channel.subscribe((status, error) => {
			if (status === 'SUBSCRIBED') resolve();
			else if (status !== 'CLOSED') reject(error ?? new Error(status));
		})
	);
}

async function waitFor(check: () => boolean, timeoutMs = 3_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error('timed out waiting');
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

type PresenceEvent = {
	event: string;
	key?: string;
	newPresences?: Record<string, unknown>[];
	leftPresences?: Record<string, unknown>[];
};

describe('realtime presence', () => {
	let stack: TestStack;
	const clients: SupabaseClient[] = [];

	/** A client in the room under `key`, recording its presence events. */
	const enter = async (room: string, key: string) => {
		const client = anonClient(stack);
		clients.push(client);
		const events: PresenceEvent[] = [];
		const channel = client
			.channel(room, { config: { presence: { key } } })
			.on('presence', { event: 'sync' }, () => events.push({ event: 'sync' }))
			.on('presence', { event: 'join' }, (e) => events.push(e as PresenceEvent))
			.on('presence', { event: 'leave' }, (e) => events.push(e as PresenceEvent));
		await subscribed(channel);
		return { client, channel, events };
	};
	const keys = (channel: RealtimeChannel) => Object.keys(channel.presenceState()).sort();

	beforeAll(async () => {
		stack = await startTestStack();
	});
	afterEach(async () => {
		await Promise.all(clients.splice(0).map((c) => c.removeAllChannels()));
	});
	afterAll(async () => {
		await stack.stop();
	});

	it('syncs state and reports joins and leaves with the tracked payload', async () => {
		const ana = await enter('thread-1', 'ana');
		const bao = await enter('thread-1', 'bao');
		expect(await ana.channel.track({ name: 'Ana', typing: false })).toBe('ok');
		await waitFor(() => keys(bao.channel).includes('ana'));
		expect(bao.channel.presenceState().ana).toEqual([
			{ name: 'Ana', typing: false, presence_ref: expect.any(String) as unknown }
		]);
		const join = bao.events.find((e) => e.event === 'join' && e.key === 'ana')!;
		expect(join.newPresences).toEqual([
			{ name: 'Ana', typing: false, presence_ref: expect.any(String) as unknown }
		]);

		// A latecomer gets the whole state on joining.
		await bao.channel.track({ name: 'Bảo', typing: false });
		await waitFor(() => keys(ana.channel).length === 2);
		const chan = await enter('thread-1', 'chan');
		await waitFor(() => keys(chan.channel).length === 2);
		expect(keys(chan.channel)).toEqual(['ana', 'bao']);
		expect(chan.events.map((e) => e.event)).toEqual(['join', 'join', 'sync']);

		// Tracking again with a new payload replaces the old one (a leave and a join).
		await ana.channel.track({ name: 'Ana', typing: true });
		await waitFor(
			() => (chan.channel.presenceState().ana?.[0] as { typing?: boolean } | undefined)?.typing === true
		);
		expect(chan.channel.presenceState().ana).toHaveLength(1);

		expect(await ana.channel.untrack()).toBe('ok');
		await waitFor(() => !keys(bao.channel).includes('ana'));
		const leave = bao.events.filter((e) => e.event === 'leave' && e.key === 'ana').at(-1)!;
		expect(leave.leftPresences).toEqual([
			{ name: 'Ana', typing: true, presence_ref: expect.any(String) as unknown }
		]);
		expect(keys(bao.channel)).toEqual(['bao']);
	});

	it('drops the presence of a client that leaves the channel or goes away', async () => {
		const dung = await enter('thread-2', 'dung');
		const eva = await enter('thread-2', 'eva');
		await dung.channel.track({ here: true });
		await eva.channel.track({ here: true });
		await waitFor(() => keys(dung.channel).length === 2 && keys(eva.channel).length === 2);
		expect(stack.realtime.stats().presences).toBe(2);

		await eva.client.removeChannel(eva.channel);
		await waitFor(() => keys(dung.channel).length === 1);
		expect(keys(dung.channel)).toEqual(['dung']);

		const fay = await enter('thread-2', 'fay');
		await fay.channel.track({ here: true });
		await waitFor(() => keys(dung.channel).length === 2);
		await fay.client.realtime.disconnect();
		await waitFor(() => keys(dung.channel).length === 1);
		expect(keys(dung.channel)).toEqual(['dung']);
		expect(stack.realtime.stats().presences).toBe(1);
	});

	it('keeps two tabs of one person under one key as two presences', async () => {
		const tab1 = await enter('thread-3', 'gia');
		const tab2 = await enter('thread-3', 'gia');
		await tab1.channel.track({ tab: 1 });
		await tab2.channel.track({ tab: 2 });
		await waitFor(() => (tab1.channel.presenceState().gia ?? []).length === 2);
		expect((tab1.channel.presenceState().gia as { tab?: number }[]).map((p) => p.tab).sort()).toEqual([1, 2]);
	});
});
