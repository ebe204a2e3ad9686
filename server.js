// The production server: SvelteKit's request handler (adapter-node's
// build/handler.js) with two things adapter-node's own entry lacks.
// - Every response, static files included, says `X-Content-Type-Options:
//   nosniff`, so a browser never guesses a type the server did not send.
// - Pages and data are compressed (brotli or gzip) here, so self-hosters get
//   it without a proxy: a thread page is about a quarter of its size. Build
//   files are precompressed by the adapter and served as they are.
// Run with `node server.js` after `npm run build`. Reads PORT (3000) and HOST
// (0.0.0.0); ORIGIN, ADDRESS_HEADER, XFF_DEPTH and BODY_SIZE_LIMIT are read by
// the handler as adapter-node documents.
import { createServer } from 'node:http';
import { constants } from 'node:zlib';
import compression from 'compression';

// Forms without JavaScript post files through the app (library items and
// progress photos, up to the buckets' 25 MB): adapter-node may read that much.
// Only those routes, and only for a signed-in person, get it: every other
// request is held to 512 KB before its body is read (src/lib/server/body-limit.ts).
process.env.BODY_SIZE_LIMIT ??= '26M';
// Push notifications: the handler starts the worker that sends them (src/lib/push/worker.server.ts)
// when VAPID_* and SUPABASE_SECRET_KEY are set. With several servers, `off` on all but one is fine too.
process.env.SAHAKUM_PUSH_WORKER ??= 'on';
// Imported after the line above: the handler reads its settings when it loads.
const { handler } = await import('./build/handler.js');

// Our own binary types (the draft log's catch-up, src/lib/drafts/wire.ts) are
// not in mime-db, so compression's own filter would send them as they are: a
// 50-page draft's first catch-up is text that gzip makes several times smaller.
const ownCompressible = /^application\/vnd\.sahakum\./;

const compress = compression({
	// Fast settings: pages are made per request, and a phone waits for the first byte.
	brotli: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
	level: 6,
	threshold: 512,
	filter: (request, response) =>
		ownCompressible.test(String(response.getHeader('content-type') ?? '')) ||
		compression.filter(request, response)
});

// A body refused before it was read (413, src/lib/server/body-limit.ts) is read
// and thrown away for up to 5 s, not kept, then the connection is closed: closing
// at once with the upload still coming resets it, and the client often loses the
// answer with it (nginx's "lingering close" does the same).
function discardRefusedBody(request, response) {
	response.on('finish', () => {
		if (response.statusCode !== 413 || request.complete || request.destroyed) return;
		// adapter-node's listener would queue what comes for a body nobody reads.
		request.removeAllListeners('data');
		request.on('data', () => undefined);
		request.resume();
		const timer = setTimeout(() => request.socket?.destroy(), 5000);
		request.once('close', () => clearTimeout(timer));
	});
}

const server = createServer((request, response) => {
	response.setHeader('x-content-type-options', 'nosniff');
	discardRefusedBody(request, response);
	compress(request, response, () =>
		handler(request, response, () => {
			response.statusCode = 404;
			response.end('Not found');
		})
	);
});

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
server.listen(port, host, () => console.log(`Sahakum listening on http://${host}:${port}`));

// Let requests in flight finish on a redeploy or Ctrl+C.
const stop = () => {
	server.close(() => process.exit(0));
	server.closeIdleConnections();
	setTimeout(() => process.exit(0), 30_000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
