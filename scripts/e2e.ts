// Playwright against the production build: a fresh in-memory local stack and
// `node build`, each on a free port, then `playwright test` with their URLs.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { startStack } from '../supabase/local/stack';
import { ensureChromium } from './chromium';
import { freePort } from './free-port';

if (!existsSync('build/index.js')) {
	console.error('[e2e] No production build found: run `npm run build` first.');
	process.exit(1);
}
const chromium = ensureChromium();
const appPort = await freePort();
const appUrl = `http://127.0.0.1:${appPort}`;
const stack = await startStack({ port: 0, dataDir: null, siteUrl: appUrl, log: () => undefined });

const app = spawn(process.execPath, ['build/index.js'], {
	stdio: ['ignore', 'inherit', 'inherit'],
	env: {
		...process.env,
		PORT: String(appPort),
		HOST: '127.0.0.1',
		ORIGIN: appUrl,
		PUBLIC_SUPABASE_URL: stack.url,
		PUBLIC_SUPABASE_ANON_KEY: stack.publishableKey
	}
});

async function waitFor(url: string, child: ChildProcess, seconds = 30) {
	for (let i = 0; i < seconds * 10; i++) {
		if (child.exitCode !== null) throw new Error(`the app server exited with code ${child.exitCode}`);
		try {
			if ((await fetch(url)).status < 500) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`${url} did not answer within ${seconds}s`);
}

let code = 1;
try {
	await waitFor(appUrl, app);
	const playwright = spawn('npx', ['playwright', 'test', ...process.argv.slice(2)], {
		stdio: 'inherit',
		env: { ...process.env, E2E_BASE_URL: appUrl, E2E_STACK_URL: stack.url, CHROMIUM_PATH: chromium }
	});
	code = await new Promise<number>((resolve) => playwright.on('exit', (c) => resolve(c ?? 1)));
} catch (error) {
	console.error(`[e2e] ${(error as Error).message}`);
} finally {
	app.kill('SIGTERM');
	await stack.stop();
}
process.exit(code);
