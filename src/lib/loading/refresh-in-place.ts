// A refresh of the page being read (a live notice, the outbox just sent) must
// never throw the reader off the page. SvelteKit's invalidate() reloads the
// whole page when its data request fails, because it cannot tell a dropped
// network from a server it should fall back to; on a bad line that means a
// full reload (seconds, the scroll position lost) just because the network
// went at the wrong moment. What the page shows is still right, only not the
// newest, and the live code refreshes again when the network is back.
//
// So while such a refresh runs, a data request for the page being read that
// fails on the network is answered "nothing new": a data response with no
// nodes, which SvelteKit reads as "keep every node's data" (client.js,
// load_route: a missing server node is a skip). SvelteKit calls window.fetch
// at request time precisely so that it can be wrapped. Only same-origin
// `__data.json` requests are touched, only network failures (a server's
// answer, even an error, passes through), and only while a refresh runs.

const NOTHING_NEW = '{"type":"data","nodes":[]}';

let running = 0;
let unwrapped: typeof fetch | undefined;

const keepingPage: typeof fetch = async (input, init) => {
	try {
		return await unwrapped!.call(window, input, init);
	} catch (error) {
		// Only a failure is looked at: the other requests meanwhile pay nothing.
		const url = new URL(input instanceof Request ? input.url : String(input), location.href);
		const pageData = url.origin === location.origin && url.pathname === dataPath(location.pathname);
		if (!pageData || running === 0) throw error;
		return new Response(NOTHING_NEW, { headers: { 'content-type': 'application/json' } });
	}
};

function dataPath(pathname: string) {
	return `${pathname.replace(/\/$/, '')}/__data.json`;
}

/** Runs `refresh` (an invalidate) so that a network cut leaves the page as it is. */
export async function refreshInPlace<T>(refresh: () => Promise<T>): Promise<T> {
	if (running++ === 0) {
		// Kept as is (not bound) so that the very same function is put back.
		// eslint-disable-next-line @typescript-eslint/unbound-method
		unwrapped = window.fetch;
		window.fetch = keepingPage;
	}
	try {
		return await refresh();
	} finally {
		if (--running === 0 && window.fetch === keepingPage) window.fetch = unwrapped!;
	}
}
