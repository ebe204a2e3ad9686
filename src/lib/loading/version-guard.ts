// Build-time only (imported by vite.config.ts): the loading layer's patches
// (README.md here) lean on the internals of these exact packages. A version
// outside the range they were checked against stops the build (and the dev
// server), so an upgrade is a decision: re-check each patch, run its test,
// then widen the range here.
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';

/** Checked versions: `from` (inclusive) up to `below` (exclusive). The one place they are written. */
export const CHECKED: Record<string, { from: string; below: string }> = {
	'@sveltejs/kit': { from: '2.70.4', below: '2.71.0' },
	svelte: { from: '5.57.3', below: '5.58.0' },
	vite: { from: '7.3.8', below: '7.4.0' }
};

const parts = (version: string) => version.split(/[.+-]/).slice(0, 3).map(Number);

/** a < b for plain x.y.z versions (a pre-release counts as its release). */
function lower(a: string, b: string): boolean {
	const [x, y] = [parts(a), parts(b)];
	for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] < y[i];
	return false;
}

/** The packages outside their checked range, as lines to print (none: all in range). */
export function outOfRange(installed: (name: string) => string, checked: typeof CHECKED = CHECKED): string[] {
	return Object.entries(checked).flatMap(([name, { from, below }]) => {
		const version = installed(name);
		return lower(version, from) || !lower(version, below)
			? [`${name} ${version} is outside the checked range >=${from} <${below}`]
			: [];
	});
}

export function installedVersion(name: string): string {
	const require = createRequire(`${process.cwd()}/package.json`);
	return (require(`${name}/package.json`) as { version: string }).version;
}

export function versionGuard(): Plugin {
	return {
		name: 'sahakum:loading-version-guard',
		configResolved() {
			const problems = outOfRange(installedVersion);
			if (problems.length) {
				throw new Error(
					`${problems.join('\n')}\nsrc/lib/loading patches SvelteKit's internals: re-check each one ` +
						'(src/lib/loading/README.md) and its test, then change CHECKED in src/lib/loading/version-guard.ts.'
				);
			}
		}
	};
}
