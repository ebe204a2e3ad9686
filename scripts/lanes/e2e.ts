// Playwright against the production build and a fresh local stack
// (scripts/serve-built.ts), then `playwright test` with their URLs.
import { spawn } from 'node:child_process';
import { ensureChromium } from '../chromium';
import { serveBuiltApp } from '../serve-built';

const chromium = ensureChromium();
// The app server renders draft PDFs with it too (Download PDF).
process.env.CHROMIUM_PATH ??= chromium;
let code = 1;
try {
	const served = await serveBuiltApp();
	try {
		const playwright = spawn('npx', ['playwright', 'test', ...process.argv.slice(2)], {
			stdio: 'inherit',
			env: {
				...process.env,
				E2E_BASE_URL: served.appUrl,
				E2E_STACK_URL: served.stack.url,
				E2E_STACK_KEY: served.stack.publishableKey,
				// The local stack's own secret key, for tests that act as the drafts' compactor.
				E2E_STACK_SECRET_KEY: served.stack.secretKey,
				CHROMIUM_PATH: chromium
			}
		});
		code = await new Promise<number>((resolve) => playwright.on('exit', (c) => resolve(c ?? 1)));
	} finally {
		await served.stop();
	}
} catch (error) {
	console.error(`[e2e] ${(error as Error).message}`);
}
process.exit(code);
