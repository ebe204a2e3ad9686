// Which push endpoints the worker fetches (see worker.server.ts). Endpoints
// come from browsers, but a person could store any URL, and the worker would
// POST to it from inside the server's network: only https to the browsers'
// own push services is fetched (a host name ending in one of these).
export const PUSH_SERVICE_HOSTS = [
	'fcm.googleapis.com', // Chrome, Edge and most Android browsers
	'push.services.mozilla.com', // Firefox
	'notify.windows.com', // Edge on Windows (legacy)
	'push.apple.com' // Safari
];

/** This machine: the only place a test's plain-HTTP push service may be. */
function isLoopbackHost(hostname: string): boolean {
	const host = hostname.toLowerCase();
	return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The same rule as the database's push_endpoint_allowed() (20261205000300_push_limits.sql),
 * checked again before each send: rows stored before that rule, or a host the
 * database lists but this server was not told about, are never fetched.
 * @param allowInsecure the tests' local push service: http or https on loopback only
 * @param extraHosts more push services (PUSH_SERVICE_HOSTS, comma-separated)
 */
export function endpointAllowed(
	endpoint: string,
	allowInsecure: boolean,
	extraHosts: string[] = []
): boolean {
	let url: URL;
	try {
		url = new URL(endpoint);
	} catch {
		return false;
	}
	if (url.username || url.password) return false;
	if (allowInsecure && isLoopbackHost(url.hostname)) {
		return url.protocol === 'https:' || url.protocol === 'http:';
	}
	const host = url.hostname.toLowerCase();
	return (
		url.protocol === 'https:' &&
		[...PUSH_SERVICE_HOSTS, ...extraHosts].some((known) => host === known || host.endsWith(`.${known}`))
	);
}
