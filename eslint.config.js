import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'src/lib/paraglide/',
			'supabase/.temp/',
			'test-results/',
			'playwright-report/',
			'bench-results/',
			// Copies of builds that bench:pages/bench:server compare (BENCH_BUILDS); gitignored.
			'.bench/',
			// The bare-SvelteKit floor for bench:pages/bench:lighthouse: its own tiny
			// app (own svelte.config.js, .svelte-kit), outside this project's tsconfig.
			'bench/fixtures/'
		]
	},
	js.configs.recommended,
	...ts.configs.recommendedTypeChecked,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: {
			globals: { ...globals.browser, ...globals.node },
			parserOptions: {
				// Type information for every .ts and .svelte file, from tsconfig.json.
				projectService: true,
				tsconfigRootDir: import.meta.dirname,
				extraFileExtensions: ['.svelte']
			}
		},
		rules: {
			'no-undef': 'off',
			'svelte/no-at-html-tags': 'error',
			// realtime-js reports channel states as string enums; comparing with the
			// string is safe, and importing the enum as a value would pull realtime-js
			// into pages before first paint.
			'@typescript-eslint/no-unsafe-enum-comparison': 'off',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: { parserOptions: { parser: ts.parser, svelteConfig } }
	},
	{
		// The service worker has WebWorker types, not the DOM's: its own tsconfig.
		files: ['src/service-worker.ts'],
		languageOptions: {
			parserOptions: { projectService: false, project: './src/service-worker.tsconfig.json' }
		}
	},
	{
		// Plain JavaScript config files have no types to check.
		files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
		...ts.configs.disableTypeChecked
	},
	{
		// Routes stay thin: queries live in src/lib/<capability>/.
		files: ['src/routes/**'],
		rules: {
			'no-restricted-syntax': [
				'error',
				{
					selector: 'CallExpression[callee.property.name=/^(from|rpc)$/]',
					message: 'Query in src/lib/<capability>/ (queries.ts), not in a route.'
				}
			]
		}
	},
	{
		// Code that can run in the browser formats with our own code (i18n/format.ts,
		// i18n/number-format.ts), not Intl: the first Intl object a page builds loads
		// the browser's locale data, 130–310 ms of a 6×-slowed phone's start-up.
		files: ['src/**/*.ts', 'src/**/*.svelte'],
		ignores: ['**/*.server.ts', '**/+server.ts', 'src/lib/server/**', '**/*.spec.ts', '**/*.test.ts'],
		rules: {
			'no-restricted-globals': [
				'error',
				{
					name: 'Intl',
					message: 'Use $lib/i18n/format or $lib/i18n/number-format: Intl is slow to start on a phone.'
				}
			],
			'no-restricted-properties': [
				'error',
				...['toLocaleString', 'toLocaleDateString', 'toLocaleTimeString'].map((property) => ({
					property,
					message: 'Use $lib/i18n/format or $lib/i18n/number-format: Intl is slow to start on a phone.'
				}))
			]
		}
	}
);
