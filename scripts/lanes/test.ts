// `npm test`: every check CI runs, in order, stopping at the first failure.
import { spawnSync } from 'node:child_process';

const steps: [string, string[]][] = [
	['prepare (svelte-kit sync, paraglide compile)', ['npm', 'run', '--silent', 'prepare']],
	['format (prettier --check)', ['npx', 'prettier', '--check', '--log-level', 'warn', '.']],
	['lint (eslint)', ['npx', 'eslint', '.', '--max-warnings', '0']],
	[
		'types (svelte-check)',
		['npx', 'svelte-check', '--tsconfig', './tsconfig.json', '--fail-on-warnings', '--output', 'human']
	],
	// Before the tests: a few integration tests start the built server (tests/integration/helpers/built-app.ts).
	['production build', ['npx', 'vite', 'build', '--logLevel', 'warn']],
	['unit + integration + platform (vitest, PGlite)', ['npx', 'vitest', 'run']],
	// The same integration and platform tests on a throwaway PostgreSQL (DATABASE_URL mode); ~5 min here.
	[
		'integration + platform on PostgreSQL (scripts/lanes/postgres.ts)',
		['npx', 'tsx', 'scripts/lanes/postgres.ts']
	],
	['e2e (playwright, production build + local stack)', ['npx', 'tsx', 'scripts/lanes/e2e.ts']]
];

const started = Date.now();
for (const [name, [command, ...args]] of steps) {
	const t0 = Date.now();
	console.log(`\n▶ ${name}`);
	const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
	const seconds = ((Date.now() - t0) / 1000).toFixed(1);
	if (result.status !== 0) {
		console.error(`\n✖ ${name} failed after ${seconds}s`);
		process.exit(result.status ?? 1);
	}
	console.log(`✔ ${name} (${seconds}s)`);
}
console.log(`\nAll checks passed in ${((Date.now() - started) / 1000).toFixed(0)}s`);
