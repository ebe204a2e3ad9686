// The production build and its local stack in a process of their own, for
// bench:server: a load generator sharing an event loop with the stack (PGlite
// runs on the stack's thread) would slow the very thing it measures. Prints one
// JSON line with the URLs, stops when its parent closes stdin or sends SIGTERM.
// BENCH_DATABASE_URL puts the stack on a real Postgres, BENCH_SERVER_SCRIPT
// serves another build's server.js; BENCH_PROFILE=<dir>
// writes the app server's CPU profile there.
import { serveBuiltApp } from '../serve-built';

const profileDir = process.env.BENCH_PROFILE;
const served = await serveBuiltApp({
	databaseUrl: process.env.BENCH_DATABASE_URL || undefined,
	serverScript: process.env.BENCH_SERVER_SCRIPT || undefined,
	nodeFlags: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []
});
console.log(JSON.stringify({ appUrl: served.appUrl, stackUrl: served.stack.url }));
let stopping = false;
const stop = () => {
	if (stopping) return;
	stopping = true;
	void served.stop().then(() => process.exit(0));
};
process.stdin.on('end', stop).resume();
process.on('SIGTERM', stop);
