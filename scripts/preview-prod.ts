// `npm run preview:prod`: the production build (built first, unless
// --no-build) served by server.js with a fresh local stack and demo data, on
// fixed ports, as the e2e tests run it. The dev server has no service worker,
// so offline reading, "Save for offline", installing the app and the update
// prompt can only be tried here. Ctrl+C stops both.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { serveBuiltApp } from './serve-built';

const { values } = parseArgs({
	options: {
		port: { type: 'string', default: '4173' },
		'stack-port': { type: 'string', default: '54331' },
		'no-build': { type: 'boolean', default: false }
	}
});

if (!values['no-build']) {
	console.log('[preview:prod] building the production app (vite build)…');
	const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
	if (built.status !== 0) process.exit(built.status ?? 1);
}

let served: Awaited<ReturnType<typeof serveBuiltApp>>;
try {
	served = await serveBuiltApp({
		appPort: Number(values.port),
		stackPort: Number(values['stack-port']),
		log: (line) => console.log(`[stack] ${line}`)
	});
} catch (error) {
	console.error(`[preview:prod] ${(error as Error).message}`);
	process.exit(1);
}

console.log(`
  Sahakum (production build) is running at ${served.appUrl}
    open exactly this address: forms are refused from another origin (localhost ≠ 127.0.0.1)
  Local stack          ${served.stack.url}   (fresh, in memory: demo data, gone when stopped)
  Publishable key      ${served.stack.publishableKey}
  Local mailbox        ${served.stack.url}/mailbox
  Demo sign-in         linh@sahakum.test / sahakum-demo (facilitator; more in README.md)

  Only here, not under npm run dev: the service worker (offline reading, Save for offline,
  the offline page, the update prompt), installing the app, compressed pages.
`);

let stopping = false;
async function stop() {
	if (stopping) return;
	stopping = true;
	await served.stop();
	process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
