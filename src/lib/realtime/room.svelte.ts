// Presence and typing on a thread: loaded after the page has painted (the
// thread page imports it when idle), with realtime-js.
import type { RealtimeChannel, RealtimeClient } from '@supabase/realtime-js';
import { realtimeClient } from './client';

const TYPING_SEND_EVERY_MS = 3_000;
const TYPING_SHOWN_MS = 6_000;

/**
 * Who else is reading a thread (presence on `thread:<id>`, one key per
 * person, so two tabs count once) and who is typing a reply. Typing notices
 * are sent through the app server and the database (`typingUrl`, the
 * thread_typing RPC), which puts the sender's own id in them; clients cannot
 * send anything but presence on thread topics. The id is looked up among the
 * thread's members (`nameOf`): a notice never carries a name of its own.
 */
export class ThreadRoom {
	here = $state(0);
	typing = $state<string[]>([]);
	#channel: RealtimeChannel | undefined;
	#client: RealtimeClient | undefined;
	#stopped = false;
	#lastSent = 0;
	// Plain maps on purpose: bookkeeping only; `typing` is the reactive view of them.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#typingNames = new Map<string, string>();

	#typingUrl: string;

	constructor(
		threadId: string,
		me: { id: string; name: string },
		nameOf: (id: string) => string | undefined,
		typingUrl: string
	) {
		this.#typingUrl = typingUrl;
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
	}

	/** Call on input in the reply box; sends a notice at most every few seconds. */
	typed(): void {
		const now = Date.now();
		if (!this.#channel || now - this.#lastSent < TYPING_SEND_EVERY_MS) return;
		this.#lastSent = now;
		void fetch(this.#typingUrl, { method: 'POST', credentials: 'same-origin' }).catch(() => undefined);
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
