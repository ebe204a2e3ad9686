// The outbox sent from this browser: the page's own fetch to the app server
// and SvelteKit's reading of an action's answer (loaded only when something
// waits; see OutboxSync.svelte).
import { deserialize } from '$app/forms';
import { flushOutbox, type FlushResult } from './send';

export const flushFromBrowser = (userId: string): Promise<FlushResult> =>
	flushOutbox(userId, { fetch: (input, init) => fetch(input, init), deserialize });
