// Sending the outbox: oldest first, one tab at a time (a Web Lock). Each item
// is posted to the form action it was written for, as `use:enhance` posts a
// form (`x-sveltekit-action`), with the session cookie like any request of
// the page: the app server is the one writer, whether a reply is sent at once,
// without JavaScript or from here. Each write is idempotent by its client-made
// id (in the database), so a send whose answer was lost is simply sent again
// and stored once.
//
// Three outcomes per item, read from the action's answer (an ActionResult):
// - success or redirect: the server has it (removed from the outbox);
// - failure: refused, with the action's own translated problems (kept, for
//   the person to edit, try again or discard);
// - no answer, a timeout, 408, 429, a 5xx, or the session gone (401): not now.
//   The item waits, and so do the ones after it, so items stay in order.
import type { ActionResult } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { OUTBOX_LOCK } from '$lib/keys';
import { passingStatus } from './passing';
import { outboxItems, removeItem, updateItem, type OutboxItem } from './outbox';

export type FlushResult = { sent: number; refused: number; waiting: number; signedOut: boolean };

/**
 * How the page reaches the app server: its `fetch` (same origin: the session
 * cookie goes along, and the server refreshes an expired access token itself)
 * and SvelteKit's `deserialize` for the answer. The page passes the
 * browser's (./flush.ts); the property test passes the app's actions.
 */
export type Sender = { fetch: typeof fetch; deserialize: (text: string) => ActionResult };

/** A send that hangs (a 2G connection half there) is given up and tried again later. */
const SEND_TIMEOUT_MS = 20_000;

type Outcome =
	| { type: 'sent' }
	| { type: 'refused'; reason: string; fields: Record<string, string> }
	| { type: 'waiting'; signedOut: boolean };

const later = (signedOut = false): Outcome => ({ type: 'waiting', signedOut });

/** The problems a refusing action returned (already translated), as one reason. */
function reasonOf(data: unknown): string {
	const problems = (data as { problems?: Record<string, unknown> } | undefined)?.problems ?? {};
	const words = Object.values(problems).filter((word): word is string => typeof word === 'string' && !!word);
	return words.length ? [...new Set(words)].join(' ') : m.error_generic();
}

/** Posts one item to its form action and reads what the action answered. */
async function sendItem(item: OutboxItem, sender: Sender): Promise<Outcome> {
	const body = new FormData();
	for (const [name, value] of Object.entries(item.fields)) body.append(name, value);
	let response: Response;
	let text: string;
	try {
		response = await sender.fetch(item.action, {
			method: 'POST',
			headers: { 'x-sveltekit-action': 'true', accept: 'application/json' },
			body,
			credentials: 'same-origin',
			cache: 'no-store',
			signal: AbortSignal.timeout(SEND_TIMEOUT_MS)
		});
		text = await response.text();
	} catch {
		return later(); // no network, a timeout, or the answer lost on the way
	}
	if (response.status === 401) return later(true);
	if (passingStatus(response.status)) return later();
	let result: ActionResult;
	try {
		result = sender.deserialize(text);
	} catch {
		// Not an action's answer: a captive portal's page (wait), or no such page any more (refuse).
		return response.status >= 400
			? { type: 'refused', reason: m.outbox_refused_access(), fields: item.fields }
			: later();
	}
	switch (result.type) {
		case 'success':
		case 'redirect':
			return { type: 'sent' };
		case 'failure': {
			if (result.status === 401) return later(true);
			if (passingStatus(result.status)) return later();
			// An action that gives back a new id (a reply whose id was taken) lets "try again" use it.
			const id = (result.data as { id?: unknown } | undefined)?.id;
			const fields = typeof id === 'string' && item.fields.id ? { ...item.fields, id } : item.fields;
			return { type: 'refused', reason: reasonOf(result.data), fields };
		}
		case 'error':
			// The action threw: no such page or action for this person now (a 4xx).
			return { type: 'refused', reason: m.outbox_refused_access(), fields: item.fields };
	}
}

/**
 * Sends what waits, if no other tab is doing it. `userId` is whose items are
 * sent (others' stay). Resolves with what happened.
 */
export async function flushOutbox(userId: string, sender: Sender): Promise<FlushResult> {
	const result: FlushResult = { sent: 0, refused: 0, waiting: 0, signedOut: false };
	const run = async () => {
		const items = (await outboxItems(userId)).filter((item) => item.state === 'waiting');
		for (const [index, item] of items.entries()) {
			const outcome = await sendItem(item, sender);
			if (outcome.type === 'sent') {
				await removeItem(item.id);
				result.sent++;
			} else if (outcome.type === 'refused') {
				await updateItem(item.id, { state: 'refused', reason: outcome.reason, fields: outcome.fields });
				result.refused++;
			} else {
				// Gone again, or signed out: this one and the rest wait, in order.
				await updateItem(item.id, { attempts: item.attempts + 1 });
				result.waiting = items.length - index;
				result.signedOut = outcome.signedOut;
				return;
			}
		}
	};
	// One tab sends; another asking meanwhile simply skips (the first sends everything).
	if (globalThis.navigator?.locks)
		await navigator.locks.request(OUTBOX_LOCK, { ifAvailable: true }, (lock) => (lock ? run() : undefined));
	else await run();
	return result;
}
