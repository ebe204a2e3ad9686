// Live updates for the pages of a space. The database announces changes on
// the private channel `space:<id>` (ids only, migration 20261122000400_realtime_channels); the
// page refetches through its load function, so what people see is always
// what RLS lets them read, and each post is keyed by id: a notice that
// arrives twice, or a refetch that overlaps one, never shows a post twice.
//
// Nothing may be missed across a network drop or a phone asleep: whenever
// the channel joins again, or the browser says it is back online (and our
// server answers), the page refetches everything it shows.
import type { RealtimeChannel, RealtimeClient } from '@supabase/realtime-js';
import { untrack } from 'svelte';
import { invalidate } from '$app/navigation';
import { navigating } from '$app/state';
import { realtimeClient } from './client';
import { fetchToken } from '$lib/supabase/token';

export type SpaceNotice = {
	event: 'threads' | 'posts' | 'reactions' | 'actions';
	thread_id: string;
	post_id: string | null;
	action_id?: string;
	op: 'insert' | 'update' | 'delete';
	by: string | null;
};

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

/**
 * Runs `refetch` for a burst of notices at most twice: once at once, once more
 * after it if notices came in meanwhile. Not while offline (the page's data
 * request would fail; `followSpace` resyncs when the network is back), and not
 * while the person is going to another page: SvelteKit's invalidate() would
 * reload the page being left and take them back to it.
 */
export function coalesced(refetch: () => Promise<unknown>): () => void {
	let running = false;
	let again = false;
	const run = async (): Promise<void> => {
		if (!navigator.onLine || navigating.to) return;
		if (running) {
			again = true;
			return;
		}
		running = true;
		try {
			await refetch();
		} finally {
			running = false;
			if (again) {
				again = false;
				void run();
			}
		}
	};
	return () => void run();
}

export interface LiveRefresh {
	/** The topics whose notices this page follows (reactive): `space:<id>`, `dialogue:<id>`. */
	topics: () => string[];
	/** When the page's data was read (server ms), for the replay of the join gap. */
	since: () => number;
	/** The `depends()` key of the page's load (see $lib/keys LIVE). */
	dependency: string;
	/** Whether a notice changes what this page shows (default: anything but reactions). */
	concerns?: (notice: SpaceNotice) => boolean;
	/** Runs before the refetch, e.g. to remember that the tab was hidden. */
	beforeRefetch?: () => void;
}

/**
 * A live page: follows its topics for as long as the component lives and
 * refetches its load (coalesced) when a notice concerns it, or after a gap.
 * Call during component initialisation. Returns the refetch, for pages that
 * also refetch on their own (a tab becoming visible).
 */
export function liveRefresh(options: LiveRefresh): () => void {
	const concerns =
		options.concerns ?? ((notice: SpaceNotice) => notice.event !== 'reactions' && notice.event !== 'actions');
	const refetch = coalesced(() => {
		options.beforeRefetch?.();
		return invalidate(options.dependency);
	});
	// A string, so a refetch (new data, same spaces) does not re-subscribe.
	const followed = $derived(options.topics().join(','));
	$effect(() => {
		if (!followed) return;
		const since = untrack(options.since);
		const stops = followed.split(',').map((topic) =>
			followTopic(topic, since, {
				changed: (notice) => concerns(notice) && refetch(),
				resync: refetch
			})
		);
		return () => stops.forEach((stop) => stop());
	});
	return refetch;
}

const TYPING_SEND_EVERY_MS = 3_000;
const TYPING_SHOWN_MS = 6_000;

/**
 * Who else is reading a thread (presence on `thread:<id>`, one key per
 * person, so two tabs count once) and who is typing a reply. Any reader can
 * send any payload on the channel, so a typing notice's name is never shown:
 * the id is looked up among the thread's current readers (`nameOf`), and
 * notices from anyone else are ignored.
 */
export class ThreadRoom {
	here = $state(0);
	typing = $state<string[]>([]);
	#me: { id: string; name: string };
	#channel: RealtimeChannel | undefined;
	#client: RealtimeClient | undefined;
	#stopped = false;
	#lastSent = 0;
	// Plain maps on purpose: bookkeeping only; `typing` is the reactive view of them.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#typingNames = new Map<string, string>();

	constructor(
		threadId: string,
		me: { id: string; name: string },
		nameOf: (id: string) => string | undefined
	) {
		void realtimeClient().then((realtime) => {
			if (this.#stopped) return;
			this.#client = realtime;
			const channel = realtime.channel(`thread:${threadId}`, {
				config: { private: true, presence: { key: me.id } }
			});
			channel
				.on('presence', { event: 'sync' }, () => {
					this.here = Object.keys(channel.presenceState()).length;
				})
				.on('broadcast', { event: 'typing' }, ({ payload }) => {
					const { id } = payload as { id?: unknown };
					const name = typeof id === 'string' && id !== me.id ? nameOf(id) : undefined;
					if (name) this.#someoneTyped(id as string, name);
				})
				.subscribe((status) => {
					if (status === 'SUBSCRIBED') void channel.track({ name: me.name });
				});
			this.#channel = channel;
		});
		this.#me = me;
	}

	/** Call on input in the reply box; sends a notice at most every few seconds. */
	typed(): void {
		const now = Date.now();
		if (!this.#channel || now - this.#lastSent < TYPING_SEND_EVERY_MS) return;
		this.#lastSent = now;
		void this.#channel.send({ type: 'broadcast', event: 'typing', payload: this.#me });
	}

	/** Someone's reply arrived: they are no longer typing. */
	stoppedTyping(id: string | null): void {
		if (id && this.#typingNames.has(id)) this.#forget(id);
	}

	stop(): void {
		this.#stopped = true;
		for (const timer of this.#typingTimers.values()) clearTimeout(timer);
		if (this.#client && this.#channel) void this.#client.removeChannel(this.#channel);
	}

	#someoneTyped(id: string, name: string) {
		clearTimeout(this.#typingTimers.get(id));
		this.#typingNames.set(id, name);
		this.#typingTimers.set(
			id,
			setTimeout(() => this.#forget(id), TYPING_SHOWN_MS)
		);
		this.typing = [...this.#typingNames.values()];
	}

	#forget(id: string) {
		clearTimeout(this.#typingTimers.get(id));
		this.#typingTimers.delete(id);
		this.#typingNames.delete(id);
		this.typing = [...this.#typingNames.values()];
	}
}
