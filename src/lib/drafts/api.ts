// What the sync needs from the platform: store an update, read the log, share
// a cursor, and the draft's Realtime channel (to listen: only the database
// speaks on it). In Node (tests, benchmark) straight through a
// person's supabase-js client; in the browser the two RPCs go through the app
// server (./sync route, as the person, same origin) and the channel through
// realtime-js alone — which keeps supabase-js out of the editor's download.
import type { RealtimeChannel, RealtimeClient } from '@supabase/realtime-js';
import type { Client } from '$lib/supabase/types';
import { catchUp, pushUpdate, rebaseBase, shareAwareness, type CatchUp } from './queries';
import { toBase64 } from './base64';
import { decodeCatchUp, WIRE_TYPE } from './wire';

export type ApiError = { code?: string; message: string };

export interface DraftApi {
	/** Stores an update made on the document's `epoch` (stale_epoch: it was rebased since). */
	push(input: {
		id: string;
		update: Uint8Array;
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
	/**
	 * The draft's channel. A promise: in the browser realtime-js and the access
	 * token arrive while the first catch-up is on its way, not before it.
	 */
	channel(topic: string): Promise<RealtimeChannel>;
	removeChannel(channel: RealtimeChannel): void;
}

const channelConfig = { config: { private: true } };

export function supabaseApi(client: Client, draftId: string): DraftApi {
	return {
		async push(input) {
			const { data, error } = await pushUpdate(client, { ...input, update: toBase64(input.update), draftId });
			return { seq: data === null ? null : Number(data), error };
		},
		catchUp: (after, limit, epoch) => catchUp(client, draftId, after, limit, epoch),
		rebaseBase: (epoch) => rebaseBase(client, draftId, epoch),
		async awareness(state, hello) {
			await shareAwareness(client, draftId, state, hello);
		},
		channel: (topic) => Promise.resolve(client.channel(topic, channelConfig)),
		removeChannel: (channel) => void client.removeChannel(channel)
	};
}

/**
 * The browser's: `syncUrl` is the draft's sync route on the app server. The
 * log travels as bytes both ways (./wire.ts); the rest is small JSON.
 */
export function appServerApi(syncUrl: string, realtime: Promise<RealtimeClient>): DraftApi {
	const post = (body: BodyInit, type: string, query = '', accept = 'application/json') =>
		fetch(syncUrl + query, {
			method: 'POST',
			credentials: 'same-origin',
			headers: { 'content-type': type, accept },
			body
		});
	const postJson = async (body: unknown) => {
		const response = await post(JSON.stringify(body), 'application/json');
		const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
		return { status: response.status, answer };
	};
	return {
		async push(input) {
			const query = `?${new URLSearchParams({ op: 'push', id: input.id, scope: input.scope, epoch: String(input.epoch) })}`;
			const response = await post(input.update as Uint8Array<ArrayBuffer>, 'application/octet-stream', query);
			const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
			if (response.status === 200) return { seq: Number(answer.seq), error: null };
			const error = (answer.error as ApiError | undefined) ?? {
				code: String(response.status),
				message: `http_${response.status}`
			};
			return { seq: null, error };
		},
		async catchUp(after, limit, epoch) {
			const response = await post(
				JSON.stringify({ op: 'catch_up', after, limit, epoch }),
				'application/json',
				'',
				WIRE_TYPE
			);
			if (response.status === 200) return decodeCatchUp(new Uint8Array(await response.arrayBuffer()));
			// Signed out (401) is not "no access": the caller keeps what waits and tries again later.
			if (response.status === 403 || response.status === 404) return null;
			throw new Error(`http_${response.status}`);
		},
		async rebaseBase(epoch) {
			const { status, answer } = await postJson({ op: 'rebase_base', epoch });
			if (status === 200) return typeof answer.previous === 'string' ? answer.previous : null;
			throw new Error(`http_${status}`);
		},
		async awareness(state, hello) {
			await postJson({ op: 'awareness', a: state, hello });
		},
		channel: async (topic) => (await realtime).channel(topic, channelConfig),
		removeChannel: (channel) => void realtime.then((client) => client.removeChannel(channel))
	};
}
