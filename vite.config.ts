import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import subsetFont from 'subset-font';
import type { Plugin } from 'vite';
// The loading layer's build-time parts (src/lib/loading/README.md).
import { browserChunks } from './src/lib/loading/chunks';
import { versionGuard } from './src/lib/loading/version-guard';

/**
 * The Khmer language's own name ("ខ្មែរ", in the language switcher on every
 * page and the library's language tags) drawn from a subset of Noto Sans
 * Khmer with only its letters (~3 KB instead of 58 KB), so English and
 * Vietnamese pages never download the whole Khmer font (issue 14). harfbuzz
 * keeps the shaping tables of the kept glyphs (the subscript and the vowel).
 * Made before the build from the names in src/lib/i18n/locales.ts, into a
 * git-ignored file that app.css points at.
 */
function khmerNamesFont(): Plugin {
	const names = 'src/lib/i18n/locales.ts';
	const font =
		'node_modules/@fontsource-variable/noto-sans-khmer/files/noto-sans-khmer-khmer-wght-normal.woff2';
	const out = 'src/lib/i18n/generated/khmer-names.woff2';
	return {
		name: 'sahakum:khmer-names-font',
		async buildStart() {
			if (
				existsSync(out) &&
				statSync(out).mtimeMs > Math.max(statSync(names).mtimeMs, statSync(font).mtimeMs)
			)
				return;
			const letters = [...new Set(readFileSync(names, 'utf8').match(/[\u1780-\u17ff]/gu))].join('');
			mkdirSync('src/lib/i18n/generated', { recursive: true });
			writeFileSync(out, await subsetFont(readFileSync(font), letters, { targetFormat: 'woff2' }));
		}
	};
}

export default defineConfig({
	// Fonts stay files (CSP font-src 'self' refuses data: URLs; a file is cached once).
	build: { assetsInlineLimit: (file) => (file.endsWith('.woff2') ? false : undefined) },
	plugins: [
		versionGuard(),
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			// Profile language wins too: sign-in and the switcher write it to this cookie.
			strategy: ['cookie', 'preferredLanguage', 'baseLocale']
		}),
		khmerNamesFont(),
		sveltekit(),
		browserChunks(4 * 1024),
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
				globPatterns: ['client/{offline.html,print.js,icons/icon-192.png,*.webmanifest}']
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
				// ($env/dynamic/* are SvelteKit's views of process.env; the sign-in
				// tests call the app's form actions, which read them.)
				resolve: {
					alias: {
						$lib: fileURLToPath(new URL('./src/lib', import.meta.url)),
						'$env/dynamic/public': fileURLToPath(
							new URL('./tests/integration/helpers/env-public.ts', import.meta.url)
						),
						'$env/dynamic/private': fileURLToPath(
							new URL('./tests/integration/helpers/env-private.ts', import.meta.url)
						)
					}
				},
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
