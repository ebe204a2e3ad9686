// The part of live updates that talks to Realtime: loaded after the page has
// painted (see ./live.svelte.ts), so realtime-js, the token helper and this
// code never hold up a reading page on a slow phone.
import type { RealtimeChannel, RealtimeClient } from '@supabase/realtime-js';
import { realtimeClient } from './client';
import { fetchToken } from '$lib/supabase/token';
import type { SpaceNotice } from './live.svelte';

/** The app server's and the database's clocks may differ a little. */
const CLOCK_MARGIN_MS = 5_000;

export interface SpaceHandlers {
	/** A change in the space (refetch if it concerns this page). */
	changed(notice: SpaceNotice): void;
	/** Notices may have been missed: refetch. */
	resync(): void;
}

/**
 * Follows a topic (`space:<id>`, `dialogue:<id>`) until the returned function
 * is called. `since` is when the page's data was read (server time, ms): the
 * notices sent between then and the channel's join are replayed, so the gap
 * is covered without refetching every page a second time.
 */
export function followTopic(topic: string, since: number, handlers: SpaceHandlers): () => void {
	let stopped = false;
	let client: RealtimeClient | undefined;
	let channel: RealtimeChannel | undefined;
	let joinedBefore = false;

	const backOnline = async () => {
		// The 'online' event fires before the network is really usable on some
		// phones: our own server answering is the proof.
		try {
			await fetchToken();
		} catch {
			return;
		}
		if (stopped) return;
		if (client && !client.isConnected()) client.connect();
		handlers.resync();
	};
	const onOnline = () => void backOnline();
	window.addEventListener('online', onOnline);

	void realtimeClient().then((realtime) => {
		if (stopped) return;
		client = realtime;
		channel = realtime
			.channel(topic, {
				config: { private: true, broadcast: { replay: { since: since - CLOCK_MARGIN_MS, limit: 25 } } }
			})
			.on('broadcast', { event: '*' }, ({ event, payload }) =>
				handlers.changed({ ...(payload as Omit<SpaceNotice, 'event'>), event } as SpaceNotice)
			)
			.subscribe((status) => {
				if (status !== 'SUBSCRIBED') return;
				// A re-join (network back, phone awake) may follow a long gap: refetch all.
				if (joinedBefore) handlers.resync();
				joinedBefore = true;
			});
	});

	return () => {
		stopped = true;
		window.removeEventListener('online', onOnline);
		if (client && channel) void client.removeChannel(channel);
	};
}
