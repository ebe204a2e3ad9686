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

/**
 * @param allowInsecure the tests' local push service (plain HTTP on loopback)
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
	if (allowInsecure) return url.protocol === 'https:' || url.protocol === 'http:';
	const host = url.hostname.toLowerCase();
	return (
		url.protocol === 'https:' &&
		[...PUSH_SERVICE_HOSTS, ...extraHosts].some((known) => host === known || host.endsWith(`.${known}`))
	);
}
