// Finds a Chromium for Playwright. Playwright cannot download its own browsers
// here, so we use Debian's. When none is found and we run as root with apt,
// install it; otherwise say how to get one.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const candidates = [
	process.env.CHROMIUM_PATH,
	'/usr/bin/chromium',
	'/usr/bin/chromium-browser',
	'/usr/bin/google-chrome'
];

export function findChromium(): string | undefined {
	return candidates.find((path): path is string => !!path && existsSync(path));
}

export function ensureChromium(): string {
	const found = findChromium();
	if (found) return found;
	const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
	if (!canInstall) {
		throw new Error(
			'No Chromium found for the browser tests. Install one (Debian/Ubuntu: `sudo apt-get install chromium`) ' +
				'or set CHROMIUM_PATH to a Chromium or Chrome binary.'
		);
	}
	console.log('[e2e] Chromium not found: installing Debian’s chromium package with apt-get (one time)…');
	execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', {
		stdio: 'inherit'
	});
	const installed = findChromium();
	if (!installed) throw new Error('apt-get finished but /usr/bin/chromium is still missing.');
	return installed;
}
