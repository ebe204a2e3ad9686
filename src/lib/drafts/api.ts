// What the sync needs from the platform: store an update, read the log, share
// a cursor, and the draft's Realtime channel (to listen: only the database
// speaks on it). In Node (tests, benchmark) straight through a
// person's supabase-js client; in the browser the two RPCs go through the app
// server (./sync route, as the person, same origin) and the channel through
// realtime-js alone — which keeps supabase-js out of the editor's download.
import type { RealtimeChannel, RealtimeClient } from '@supabase/realtime-js';
import type { Client } from '$lib/supabase/types';
import { catchUp, pushUpdate, rebaseBase, shareAwareness, type CatchUp } from './queries';

export type ApiError = { code?: string; message: string };

export interface DraftApi {
	/** Stores an update made on the document's `epoch` (stale_epoch: it was rebased since). */
	push(input: {
		id: string;
		update: string;
		scope: string;
		epoch: number;
	}): Promise<{ seq: number | null; error: ApiError | null }>;
	/**
	 * The log after `after` on my `epoch` (null: I have nothing yet), or the
	 * whole document when it is on another epoch; null when I may not edit
	 * the draft. Throws when the network fails.
	 */
	catchUp(after: number, limit: number, epoch: number | null): Promise<CatchUp | null>;
	/** The document my epoch ended with (base64), to carry unsent changes over a rebase. Throws when the network fails. */
	rebaseBase(epoch: number): Promise<string | null>;
	/** My awareness state (base64) to the others, through the database, which adds who I am. */
	awareness(state: string, hello: boolean): Promise<void>;
	channel(topic: string): RealtimeChannel;
	removeChannel(channel: RealtimeChannel): void;
}

const channelConfig = { config: { private: true } };

export function supabaseApi(client: Client, draftId: string): DraftApi {
	return {
		async push(input) {
			const { data, error } = await pushUpdate(client, { ...input, draftId });
			return { seq: data === null ? null : Number(data), error };
		},
		catchUp: (after, limit, epoch) => catchUp(client, draftId, after, limit, epoch),
		rebaseBase: (epoch) => rebaseBase(client, draftId, epoch),
		async awareness(state, hello) {
			await shareAwareness(client, draftId, state, hello);
		},
		channel: (topic) => client.channel(topic, channelConfig),
		removeChannel: (channel) => void client.removeChannel(channel)
	};
}

/** The browser's: `syncUrl` is the draft's sync route on the app server. */
export function appServerApi(syncUrl: string, realtime: RealtimeClient): DraftApi {
	const post = async (body: unknown) => {
		const response = await fetch(syncUrl, {
			method: 'POST',
			credentials: 'same-origin',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body)
		});
		const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
		return { status: response.status, answer };
	};
	return {
		async push(input) {
			const { status, answer } = await post({ op: 'push', ...input });
			if (status === 200) return { seq: Number(answer.seq), error: null };
			const error = (answer.error as ApiError | undefined) ?? {
				code: String(status),
				message: `http_${status}`
			};
			return { seq: null, error };
		},
		async catchUp(after, limit, epoch) {
			const { status, answer } = await post({ op: 'catch_up', after, limit, epoch });
			if (status === 200) return answer as unknown as CatchUp;
			// Signed out (401) is not "no access": the caller keeps what waits and tries again later.
			if (status === 403 || status === 404) return null;
			throw new Error(`http_${status}`);
		},
		async rebaseBase(epoch) {
			const { status, answer } = await post({ op: 'rebase_base', epoch });
			if (status === 200) return typeof answer.previous === 'string' ? answer.previous : null;
			throw new Error(`http_${status}`);
		},
		async awareness(state, hello) {
			await post({ op: 'awareness', a: state, hello });
		},
		channel: (topic) => realtime.channel(topic, channelConfig),
		removeChannel: (channel) => void realtime.removeChannel(channel)
	};
}
