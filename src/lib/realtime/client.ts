// One Realtime connection per tab, created on first use. realtime-js alone
// (not all of supabase-js) and loaded lazily, so reading a page does not wait
// for it on a slow network.
import type { RealtimeClient } from '@supabase/realtime-js';
import { supabaseEnv } from '$lib/supabase/env';
import { accessToken } from '$lib/supabase/token';

let client: Promise<RealtimeClient> | undefined;

export function realtimeClient(): Promise<RealtimeClient> {
	client ??= import('@supabase/realtime-js').then(async ({ RealtimeClient }) => {
		const { url, key } = supabaseEnv();
		const realtime = new RealtimeClient(`${url.replace(/^http/, 'ws')}/realtime/v1`, {
			params: { apikey: key },
			accessToken,
			// Cheap phones and flaky networks: notice a dead connection in ~30 s.
			heartbeatIntervalMs: 15_000
		});
		// The first join must carry the token (else it is refused and retried a second later).
		await realtime.setAuth().catch(() => undefined);
		return realtime;
	});
	// A failed download (offline before the chunk was cached) is tried again next time.
	client.catch(() => (client = undefined));
	return client;
}
