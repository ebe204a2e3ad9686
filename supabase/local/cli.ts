// `npm run stack [-- --port <n>] [--reset]`: the local Supabase stand-in alone.
// Honours DATABASE_URL (a real Postgres instead of the embedded PGlite).
import { parseArgs } from 'node:util';
import { startStack } from './stack';
import { DataDirInUseError } from './lock';

const { values } = parseArgs({
	options: {
		port: { type: 'string', default: process.env.SUPABASE_LOCAL_PORT ?? '54321' },
		host: { type: 'string', default: '127.0.0.1' },
		reset: { type: 'boolean', default: false },
		'state-dir': { type: 'string' },
		'site-url': { type: 'string' },
		trust: { type: 'string', default: process.env.STACK_TRUSTED_ADDRESSES },
		'address-header': { type: 'string', default: process.env.STACK_ADDRESS_HEADER },
		'sms-countries': { type: 'string', default: process.env.SMS_COUNTRIES },
		help: { type: 'boolean', short: 'h', default: false }
	}
});

if (values.help) {
	console.log(`Usage: npm run stack -- [--port 54321] [--host 127.0.0.1] [--reset]
  --reset        delete the local database (and stored files) and rebuild it from
                 supabase/migrations and supabase/seed.sql
  --state-dir    where keys.json, stored files and unfinished uploads are kept
                 (default: SUPABASE_LOCAL_STATE_DIR, else supabase/.temp)
  --trust        comma-separated addresses of app servers, not rate-limited per
                 address on /auth/v1 (they throttle per person themselves);
                 default STACK_TRUSTED_ADDRESSES, else loopback (127.0.0.1,::1)
  --address-header  behind a reverse proxy: the header it sets with the client's
                 address (e.g. x-forwarded-for; last entry); default STACK_ADDRESS_HEADER
  --sms-countries  calling codes the local SMS inbox "delivers" phone codes to
                 (default SMS_COUNTRIES, else 84,855: Vietnam and Cambodia)
  DATABASE_URL=postgres://...   use a real Postgres instead of PGlite in supabase/.temp/db`);
	process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
	console.error(`--port must be a number from 0 to 65535, got "${values.port}"`);
	process.exit(2);
}

try {
	const stack = await startStack({
		port,
		host: values.host,
		reset: values.reset,
		...(values['state-dir'] ? { stateDir: values['state-dir'] } : {}),
		databaseUrl: process.env.DATABASE_URL || undefined,
		siteUrl: values['site-url'],
		auth: {
			...(values.trust !== undefined
				? {
						trustedAddresses: values.trust
							.split(',')
							.map((a) => a.trim())
							.filter(Boolean)
					}
				: {}),
			...(values['address-header'] ? { addressHeader: values['address-header'] } : {})
		},
		...(values['sms-countries']
			? {
					sms: {
						countries: values['sms-countries']
							.split(/[\s,]+/)
							.map((c) => c.replace(/^\+/, ''))
							.filter(Boolean)
					}
				}
			: {}),
		log: (line) => console.log(`[stack] ${line}`)
	});
	console.log(`
Sahakum local stack is running
  API URL          ${stack.url}
  Publishable key  ${stack.publishableKey}
  Secret key       ${stack.secretKey}   (local only; never ship it to a browser)
  VAPID public key ${stack.vapidPublicKey}   (web push; the private one is in keys.json)
  Mailbox          ${stack.url}/mailbox
  SMS inbox        ${stack.url}/sms
  Database         ${process.env.DATABASE_URL ? 'Postgres (DATABASE_URL)' : 'PGlite in supabase/.temp/db'}
  Keys and files   ${stack.stateDir}
`);
	let stopping = false;
	const shutdown = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		console.log(`[stack] ${signal}: stopping…`);
		await stack.stop();
		console.log('[stack] stopped cleanly');
		process.exit(0);
	};
	process.on('SIGINT', () => void shutdown('SIGINT'));
	process.on('SIGTERM', () => void shutdown('SIGTERM'));
} catch (error) {
	if (error instanceof DataDirInUseError) console.error(`[stack] ${error.message}`);
	else console.error(`[stack] could not start: ${(error as Error).message}`);
	process.exit(1);
}
