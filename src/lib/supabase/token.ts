// The signed-in person's access token, for what the browser sends to Supabase
// itself (Realtime, uploads). The session cookie is
// HttpOnly, so scripts cannot read it: our server hands out the short-lived
// access token instead. Cached until a minute before it expires; realtime-js
// asks on connect and on every heartbeat.
export type TokenAnswer = { token: string; expiresAt: number; userId: string };

const MARGIN_SECONDS = 60;
let cached: TokenAnswer | null = null;
let inFlight: Promise<string | null> | null = null;

/** True when the cached token is still good for a while. */
const fresh = (answer: TokenAnswer | null, nowSeconds = Date.now() / 1000) =>
	!!answer && answer.expiresAt - MARGIN_SECONDS > nowSeconds;

export async function accessToken(): Promise<string | null> {
	if (fresh(cached)) return cached!.token;
	inFlight ??= fetchToken().finally(() => (inFlight = null));
	return inFlight;
}

/** Asks the server; also serves as "is the network back?" after going offline. */
export async function fetchToken(): Promise<string | null> {
	const response = await fetch('/api/token', { cache: 'no-store', credentials: 'same-origin' });
	if (!response.ok) {
		cached = null;
		return null;
	}
	cached = (await response.json()) as TokenAnswer;
	return cached.token;
}
