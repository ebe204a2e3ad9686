// The outbox sent from this browser: its supabase-js client and the token our
// server hands out (loaded only when something waits; see OutboxSync.svelte).
import { browserClient } from '$lib/supabase/browser';
import { fetchToken } from '$lib/supabase/token';
import { flushOutbox, type FlushResult } from './send';

export const flushFromBrowser = (userId: string): Promise<FlushResult> =>
	flushOutbox(userId, { client: browserClient(), freshToken: fetchToken });
