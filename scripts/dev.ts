// `npm run dev`: the local stack (PGlite in supabase/.temp, demo data on first
// run) and the SvelteKit dev server, wired together. Ctrl+C stops both.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { startStack } from '../supabase/local/stack';
import { DataDirInUseError } from '../supabase/local/lock';

const { values } = parseArgs({
	options: {
		port: { type: 'string', default: '5173' },
		'stack-port': { type: 'string', default: '54321' },
		reset: { type: 'boolean', default: false },
		host: { type: 'boolean', default: false }
	}
});

const appUrl = `http://localhost:${values.port}`;
let stack: Awaited<ReturnType<typeof startStack>>;
try {
	stack = await startStack({
		port: Number(values['stack-port']),
		reset: values.reset,
		databaseUrl: process.env.DATABASE_URL || undefined,
		siteUrl: appUrl,
		log: (line) => console.log(`[stack] ${line}`)
	});
} catch (error) {
	console.error(
		`[stack] ${error instanceof DataDirInUseError ? error.message : `could not start: ${(error as Error).message}`}`
	);
	process.exit(1);
}

const vite = spawn(
	'npx',
	['vite', 'dev', '--port', values.port, '--strictPort', ...(values.host ? ['--host'] : [])],
	{
		stdio: 'inherit',
		env: {
			...process.env,
			PUBLIC_SUPABASE_URL: stack.url,
			PUBLIC_SUPABASE_ANON_KEY: stack.publishableKey,
			// For the drafts' compactor (src/lib/drafts/compactor.server.ts), never a person's request.
			SUPABASE_SECRET_KEY: stack.secretKey
		}
	}
);

console.log(`
  Sahakum is starting at ${appUrl}
  Demo sign-in: linh@sahakum.test / sahakum-demo (facilitator; more in README.md)
  Local mailbox (sign-up and sign-in codes): ${stack.url}/mailbox
`);

let stopping = false;
async function stop(code = 0) {
	if (stopping) return;
	stopping = true;
	vite.kill('SIGTERM');
	await stack!.stop();
	process.exit(code);
}
vite.on('exit', (code) => void stop(code ?? 0));
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
