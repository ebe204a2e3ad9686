// use:enhance for the forms people write with (a reply, a new thread, a
// dialogue post, a reaction, progress on an action): when the phone is
// offline, or the network drops during the send, what was written goes to
// the outbox instead of being lost, and the page shows it as waiting.
import type { SubmitFunction } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { NewOutboxItem } from './outbox';

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

/**
 * Wraps a form's own submit function. `toItem` turns the form into an outbox
 * item (null: this form cannot wait, send it normally). `queued` runs once the
 * item is safely stored (clear the box, make a new id).
 */
export function withOutbox(
	toItem: (form: FormData) => NewOutboxItem | null,
	queued: () => void,
	inner?: SubmitFunction
): SubmitFunction {
	return async (input) => {
		const item = toItem(input.formData);
		if (item && !navigator.onLine) {
			input.cancel();
			if (await keep(item)) queued();
			return;
		}
		const after = await inner?.(input);
		return async (output) => {
			// The request never got an answer: the server may or may not have it.
			// The outbox sends it again under the same id, which stores it once.
			if (item && output.result.type === 'error' && looksLikeNetwork(output.result.error)) {
				if (await keep(item)) queued();
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

/** A text field of a form ('' when absent or a file), trimmed. */
export function formText(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value.trim() : '';
}
