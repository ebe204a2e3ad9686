// Build-time only (imported by vite.config.ts): how the browser build is cut
// into chunks. It matches paths inside Svelte's and SvelteKit's own sources,
// so it is one of the loading layer's patches (README.md here).
import type { Plugin } from 'vite';

/** The code every hydrated page runs: Svelte's and SvelteKit's client runtimes, paraglide's runtime. */
const FRAMEWORK =
	/node_modules\/(svelte\/src\/(internal|index-client|store|reactivity|legacy|version)|@sveltejs\/kit\/src\/(runtime|utils|exports\/internal)|devalue\/|clsx\/)|vite\/preload-helper|src\/lib\/paraglide\/runtime/;

/**
 * Browser chunks for a slow phone network (issue 14). The framework in one
 * chunk: every hydrated page needs it, and one file compresses better than the
 * dozen Rollup would cut it into (thread page 70.3 -> 62.9 KiB gzip). Then
 * chunks under `minBytes` merged into others: each request costs a round trip,
 * but merging also carries other pages' modules along, so the threshold stays
 * low (8 KiB put other pages' messages on every page). Browser build only:
 * merging server chunks breaks route modules.
 */
export function browserChunks(minBytes: number): Plugin {
	let ssr = false;
	return {
		name: 'sahakum:browser-chunks',
		apply: 'build',
		configResolved(config) {
			ssr = !!config.build.ssr;
		},
		outputOptions(options) {
			if (ssr) return options;
			return {
				...options,
				experimentalMinChunkSize: minBytes,
				manualChunks: (id: string) => (FRAMEWORK.test(id) ? 'framework' : undefined)
			};
		}
	};
}
