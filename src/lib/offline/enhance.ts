// use:enhance for the forms people write with (a reply, a new thread, a
// dialogue post, a reaction, progress on an action): when the phone is
// offline, or the network drops during the send, the form's submission goes
// to the outbox instead of being lost (the action it was for, its fields and
// their client-made id), the page shows it as waiting, and the outbox posts it
// to the same action later (./send.ts).
import type { SubmitFunction } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { NewOutboxItem } from './outbox';
import { passingStatus } from './passing';

// The outbox code (and IndexedDB's wrapper) loads only when something must wait;
// the page loads it after first paint anyway (WaitingHere), so it is there offline.
// Storage full or refused (private browsing): the person is told, and the text
// stays in the box; nothing pretends to be waiting.
async function keep(item: NewOutboxItem): Promise<boolean> {
	try {
		await (await import('./outbox')).enqueue(item);
		return true;
	} catch {
		alert(m.outbox_cannot_keep());
		return false;
	}
}

export type OutboxOptions = {
	/** Whose item it is (the signed-in person). */
	userId: string;
	/** The page that shows it as waiting; this page by default (a new thread: its space's page). */
	page?: string;
	/** Runs once the item is safely stored (empty the box, make a new id). */
	queued: () => void;
};

/**
 * The submission as an outbox item, or null when it cannot wait: a file is
 * attached (it needs the network), or a field repeats (the outbox keeps one
 * value per name). The form's `id` field, when there is one, is the item's key.
 */
function itemOf(
	{ formData, action, formElement }: Parameters<SubmitFunction>[0],
	{ userId, page }: OutboxOptions
): NewOutboxItem | null {
	const fields: Record<string, string> = {};
	for (const [name, value] of formData) {
		if (typeof value !== 'string') {
			if (value.size > 0) return null;
			continue; // an empty file input
		}
		if (name in fields) return null;
		fields[name] = value;
	}
	const limits: Record<string, number> = {};
	for (const element of formElement.elements)
		if (
			(element instanceof HTMLTextAreaElement || element instanceof HTMLInputElement) &&
			element.name &&
			element.maxLength > 0
		)
			limits[element.name] = element.maxLength;
	return {
		id: fields.id || crypto.randomUUID(),
		userId,
		action: action.pathname + action.search,
		fields,
		page: page ?? location.pathname,
		limits
	};
}

/** Wraps a form's own submit function (`inner`) so that the submission waits in the outbox when it cannot go now. */
export function withOutbox(options: OutboxOptions, inner?: SubmitFunction): SubmitFunction {
	return async (input) => {
		const item = itemOf(input, options);
		if (item && !navigator.onLine) {
			input.cancel();
			if (await keep(item)) options.queued();
			return;
		}
		const after = await inner?.(input);
		return async (output) => {
			// The request never got an answer (the server may or may not have it), or
			// the server could not answer now: the outbox sends it again under the same
			// id, which stores it once.
			const { result } = output;
			const notNow =
				result.type === 'error' && (looksLikeNetwork(result.error) || passingStatus(result.status));
			if (item && notNow) {
				if (await keep(item)) options.queued();
				// The form's own ending (its "working…" state) without showing the error page.
				if (after) await after({ ...output, update: () => Promise.resolve() });
				return;
			}
			if (after) await after(output);
			else await output.update({ reset: false });
		};
	};
}

const looksLikeNetwork = (error: unknown) =>
	error instanceof TypeError || /fetch|network|load failed/i.test(String((error as Error)?.message ?? error));
