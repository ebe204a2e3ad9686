import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

/**
 * Fewer, larger browser chunks: on a slow phone network each request costs a
 * round trip. Browser build only: merging server chunks breaks route modules.
 */
function mergeSmallBrowserChunks(minBytes: number): Plugin {
	let ssr = false;
	return {
		name: 'sahakum:merge-small-browser-chunks',
		apply: 'build',
		configResolved(config) {
			ssr = !!config.build.ssr;
		},
		outputOptions(options) {
			return ssr ? options : { ...options, experimentalMinChunkSize: minBytes };
		}
	};
}

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			// Profile language wins too: sign-in and the switcher write it to this cookie.
			strategy: ['cookie', 'preferredLanguage', 'baseLocale']
		}),
		sveltekit(),
		mergeSmallBrowserChunks(8 * 1024),
		SvelteKitPWA({
			strategies: 'injectManifest',
			srcDir: 'src',
			filename: 'service-worker.ts',
			registerType: 'prompt',
			injectRegister: false,
			// The manifest is a route, in the person's language (src/routes/manifest.webmanifest).
			manifest: false,
			injectManifest: {
				// Only what an offline phone needs to say so; the app's code, styles and
				// fonts are kept as they are used (src/lib/offline/sw.ts), so installing
				// the worker costs a first visit a few KiB, not the whole app.
				// (One pattern naming *.webmanifest, so the plugin does not add its own
				// that matches nothing: the manifest is a route, not a file.)
				globPatterns: ['client/{offline.html,icons/icon-192.png,*.webmanifest}']
			},
			devOptions: { enabled: false }
		})
	],
	test: {
		expect: { requireAssertions: true },
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					environment: 'node',
					include: ['src/**/*.spec.ts'],
					exclude: ['src/**/*.svelte.spec.ts']
				}
			},
			{
				// No SvelteKit plugin here: plain Node against the local stack, with
				// $lib resolving so tests can call the app's own query modules.
				resolve: { alias: { $lib: fileURLToPath(new URL('./src/lib', import.meta.url)) } },
				test: {
					name: 'integration',
					environment: 'node',
					include: ['tests/integration/**/*.spec.ts'],
					testTimeout: 30_000,
					hookTimeout: 60_000,
					expect: { requireAssertions: true }
				}
			},
			{
				// The local stack's own contract tests (Realtime protocol, limits, lock,
				// restarts), beside it in supabase/local/tests; no app code needed.
				test: {
					name: 'platform',
					environment: 'node',
					include: ['supabase/local/tests/**/*.spec.ts'],
					testTimeout: 30_000,
					hookTimeout: 60_000,
					expect: { requireAssertions: true }
				}
			}
		]
	}
});
