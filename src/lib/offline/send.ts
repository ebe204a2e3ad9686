// Sending the outbox: oldest first, one tab at a time (a Web Lock), straight
// to Supabase with the person's access token (supabase-js never retries an
// insert; the outbox does). Each write is idempotent by its client-made id, so
// a send whose answer was lost is simply sent again and stored once.
//
// Three outcomes per item: the server has it (removed from the outbox), the
// server refuses it (kept, with the translated reason, for the person to edit
// or discard), or the network or the session is not there (kept as waiting;
// the rest waits too, so items stay in order).
import type { PostgrestError, SupabaseClient } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages';
import type { Database } from '$lib/supabase/database.types';
import { refusalKind } from '$lib/supabase/errors';
import { BODY_MAX, TITLE_MAX } from '$lib/threads/queries';
import { dialogueProblem } from '$lib/dialogues/problems';
import { outboxItems, removeItem, updateItem, type OutboxItem } from './outbox';

export type FlushResult = { sent: number; refused: number; waiting: number; signedOut: boolean };

type Answer = { error: Pick<PostgrestError, 'code' | 'message'> | null; status?: number };

/** A send that hangs (a 2G connection half there) is given up and tried again later. */
const SEND_TIMEOUT_MS = 20_000;

/**
 * How items reach the server: a supabase-js client acting as the person, and
 * a way to ask for a fresh token (a string; null when signed out; a throw when
 * there is no network). The page passes the browser's (./flush.ts).
 */
export type Sender = { client: SupabaseClient<Database>; freshToken: () => Promise<string | null> };

/** One item, as the app's own forms would write it. */
async function write(supabase: SupabaseClient<Database>, item: OutboxItem, userId: string): Promise<Answer> {
	const signal = AbortSignal.timeout(SEND_TIMEOUT_MS);
	switch (item.kind) {
		case 'reply':
			return supabase
				.from('posts')
				.upsert(
					{ id: item.id, thread_id: item.threadId, space_id: item.spaceId, body: item.body },
					{ onConflict: 'id', ignoreDuplicates: true }
				)
				.abortSignal(signal);
		case 'thread':
			return supabase
				.rpc('start_thread', {
					p_id: item.id,
					p_space: item.spaceId,
					p_title: item.title,
					p_body: item.body,
					p_topic: item.topic
				})
				.abortSignal(signal);
		case 'dialogue_post':
			return item.anonymous
				? supabase
						.rpc('post_anonymously', { p_id: item.id, p_dialogue: item.threadId, p_body: item.body })
						.abortSignal(signal)
				: supabase
						.from('posts')
						.upsert(
							{ id: item.id, thread_id: item.threadId, space_id: item.spaceId, body: item.body },
							{ onConflict: 'id', ignoreDuplicates: true }
						)
						.abortSignal(signal);
		case 'action_update':
			return supabase
				.rpc('post_action_update', {
					p_id: item.id,
					p_action: item.actionId,
					p_body: item.body,
					p_status: item.status ?? undefined
				})
				.abortSignal(signal);
		case 'reaction':
			// Adding twice or taking back twice leaves the same state: safe to replay.
			return item.op === 'add'
				? supabase
						.from('reactions')
						.upsert(
							{ post_id: item.postId, user_id: userId, kind: item.reaction },
							{ onConflict: 'post_id,user_id,kind', ignoreDuplicates: true }
						)
						.abortSignal(signal)
				: supabase
						.from('reactions')
						.delete()
						.eq('post_id', item.postId)
						.eq('user_id', userId)
						.eq('kind', item.reaction)
						.abortSignal(signal);
	}
}

/**
 * Not a refusal: the network failed or hung, or the server could not answer
 * just now (5xx, 408, 429). The item waits and is tried again later.
 */
const isPassingFailure = ({ error, status }: Answer) =>
	(!error?.code && /fetch|network|load failed|timeout|abort/i.test(error?.message ?? '')) ||
	(status !== undefined && (status >= 500 || status === 408 || status === 429));

/** Why the server refused an item, in the person's language. */
export function refusalReason(item: OutboxItem, error: NonNullable<Answer['error']>): string {
	if (refusalKind(error) === 'check') {
		if ('body' in item && item.body.length > BODY_MAX)
			return m.error_too_long({ max: BODY_MAX, length: item.body.length });
		if (item.kind === 'thread' && item.title.length > TITLE_MAX)
			return m.error_too_long({ max: TITLE_MAX, length: item.title.length });
		return m.outbox_refused_text();
	}
	if (refusalKind(error) === 'row_security') return m.outbox_refused_access();
	return dialogueProblem(error);
}

/**
 * Sends what waits, if no other tab is doing it. `userId` is whose items are
 * sent (others' stay). Resolves with what happened.
 */
export async function flushOutbox(userId: string, sender: Sender): Promise<FlushResult> {
	const result: FlushResult = { sent: 0, refused: 0, waiting: 0, signedOut: false };
	const run = async () => {
		const items = (await outboxItems(userId)).filter((item) => item.state === 'waiting');
		if (!items.length) return;
		// A fresh token first: an expired session must not turn good items into refusals.
		const token = await sender.freshToken().catch(() => undefined);
		if (token === undefined) {
			result.waiting = items.length; // the network is not there yet
			return;
		}
		if (token === null) {
			result.signedOut = true;
			result.waiting = items.length;
			return;
		}
		for (const [index, item] of items.entries()) {
			let answer: Answer;
			try {
				answer = await write(sender.client, item, userId);
			} catch {
				answer = { error: { code: '', message: 'fetch failed' } };
			}
			if (!answer.error) {
				await removeItem(item.id);
				result.sent++;
			} else if (isPassingFailure(answer) || answer.error.code === 'PGRST301') {
				// Gone again (or the token expired meanwhile): this one and the rest wait, in order.
				await updateItem(item.id, { attempts: item.attempts + 1 });
				result.waiting = items.length - index;
				return;
			} else {
				await updateItem(item.id, { state: 'refused', reason: refusalReason(item, answer.error) });
				result.refused++;
			}
		}
	};
	// One tab sends; another asking meanwhile simply skips (the first sends everything).
	if (globalThis.navigator?.locks)
		await navigator.locks.request('sahakum-outbox', { ifAvailable: true }, (lock) =>
			lock ? run() : undefined
		);
	else await run();
	return result;
}
