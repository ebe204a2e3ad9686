/**
 * Timestamps as instants, anywhere in a value: the local stack answers a
 * set-returning RPC (dialogue_overview, list_actions) in Postgres's text form
 * ('2026-12-05 23:32:30.436+00') where json built in the database, and
 * PostgREST itself, write ISO 8601 ('2026-12-05T23:32:30.436+00:00'); the
 * pages read both with new Date(). For comparing one call with the calls it replaced.
 */
export function instants(value: unknown): unknown {
	if (typeof value === 'string' && /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d/.test(value))
		return new Date(value).toISOString();
	if (Array.isArray(value)) return value.map(instants);
	if (value && typeof value === 'object')
		return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, instants(v)]));
	return value;
}
