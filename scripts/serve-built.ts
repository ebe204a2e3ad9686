// The production build (`node server.js`) wired to a fresh local stack (demo
// data), each on a free port unless given one: used by the e2e run, the
// benchmarks and `npm run preview:prod`. In memory by default; the benchmarks
// may pass a real Postgres and extra environment for the server.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { startStack, type Stack } from '../supabase/local/stack';
import { freePort } from './free-port';

export interface ServedApp {
	appUrl: string;
	stack: Stack;
	/** The app server's process id (tests read its memory in /proc). */
	pid: number;
	stop(): Promise<void>;
}

export interface ServeOptions {
	appPort?: number;
	stackPort?: number;
	log?: (line: string) => void;
	/** A real Postgres instead of in-memory PGlite (seeded when fresh). */
	databaseUrl?: string;
	/** Added to the app server's environment (e.g. NODE_OPTIONS for a preload). */
	env?: Record<string, string>;
	/** Another build's server.js (a copy with its build/ beside it), for an A/B of two builds. */
	serverScript?: string;
	/** Node's own flags for the app server (e.g. --cpu-prof: Node 20 refuses it in NODE_OPTIONS). */
	nodeFlags?: string[];
}

export async function serveBuiltApp(options: ServeOptions = {}): Promise<ServedApp> {
	const serverScript = options.serverScript ?? 'server.js';
	if (!existsSync(serverScript.replace(/server\.js$/, 'build/index.js')))
		throw new Error(`No production build beside ${serverScript}: run \`npm run build\` first.`);
	const appPort = options.appPort ?? (await freePort());
	const appUrl = `http://127.0.0.1:${appPort}`;
	const stack = await startStack({
		port: options.stackPort ?? 0,
		dataDir: null,
		databaseUrl: options.databaseUrl,
		siteUrl: appUrl,
		log: options.log ?? (() => undefined)
	});
	const env: Record<string, string> = {
		PORT: String(appPort),
		HOST: '127.0.0.1',
		ORIGIN: appUrl,
		PUBLIC_SUPABASE_URL: stack.url,
		PUBLIC_SUPABASE_ANON_KEY: stack.publishableKey,
		// Web push: the worker in server.js sends with the stack's VAPID pair, and
		// the secret key (worker only). Local push services speak plain HTTP.
		VAPID_PUBLIC_KEY: stack.vapidPublicKey,
		VAPID_PRIVATE_KEY: stack.vapidPrivateKey,
		VAPID_SUBJECT: 'mailto:push@sahakum.invalid',
		SUPABASE_SECRET_KEY: stack.secretKey,
		PUSH_ALLOW_INSECURE_ENDPOINTS: '1',
		PUSH_WORKER_INTERVAL_MS: '1000',
		...options.env
	};
	// The database's side of that test-only switch: plain-HTTP push services on this machine only.
	if (env.PUSH_ALLOW_INSECURE_ENDPOINTS === '1') {
		await allowLoopbackPushServices(stack).catch(async (error: unknown) => {
			await stack.stop();
			throw error;
		});
	}
	const app = spawn(process.execPath, [...(options.nodeFlags ?? []), serverScript], {
		stdio: ['ignore', 'inherit', 'inherit'],
		env: { ...process.env, ...env }
	});
	const stop = async () => {
		app.kill('SIGTERM');
		await stack.stop();
	};
	try {
		await waitFor(appUrl, app);
	} catch (error) {
		await stop();
		throw error;
	}
	return { appUrl, stack, pid: app.pid!, stop };
}

/** Lets the tests' local push service (plain HTTP on loopback) be stored (push_services). */
export async function allowLoopbackPushServices(stack: Pick<Stack, 'sql'>) {
	await stack.sql(
		`insert into public.push_services (host, plain_http) values ('localhost', true), ('127.0.0.1', true)
		 on conflict (host) do update set plain_http = true`
	);
}

async function waitFor(url: string, child: ChildProcess, seconds = 30) {
	for (let i = 0; i < seconds * 10; i++) {
		if (child.exitCode !== null) throw new Error(`the app server exited with code ${child.exitCode}`);
		try {
			if ((await fetch(url)).status < 500) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`${url} did not answer within ${seconds}s`);
}
