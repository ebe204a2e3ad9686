// Preload for bench:roundtrips, loaded into the production server with
// NODE_OPTIONS="--import tsx --import ./scripts/bench/fetch-log.ts": wraps
// globalThis.fetch (supabase-js and SvelteKit's event.fetch both end there) and
// appends one JSON line per request to the Supabase URL to BENCH_FETCH_LOG.
// `end` is when the response headers arrived; supabase-js reads the small body
// right after, so a call that depends on this one starts later still.
import { appendFileSync } from 'node:fs';

const log = process.env.BENCH_FETCH_LOG;
const supabaseUrl = process.env.PUBLIC_SUPABASE_URL;

if (log && supabaseUrl) {
	const original = globalThis.fetch;
	const now = () => performance.timeOrigin + performance.now();
	globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
		const url = input instanceof Request ? input.url : String(input);
		if (!url.startsWith(supabaseUrl)) return original(input, init);
		const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
		const start = now();
		let status = 0;
		try {
			const response = await original(input, init);
			status = response.status;
			return response;
		} finally {
			const path = decodeURIComponent(url.slice(supabaseUrl.length));
			appendFileSync(log, JSON.stringify({ method, path, status, start, end: now() }) + '\n');
		}
	};
}
