// The local stand-in for the Supabase platform: one Node process, one port.
//   /auth/v1, /rest/v1, /storage/v1  -> @supabase/lite (GoTrue, PostgREST, Storage APIs)
//   /realtime/v1/websocket           -> our Realtime server (see ./realtime)
//   /mailbox, /sms                   -> emails and SMS codes the stack sent (local only)
// The database is PGlite in a directory (default), PGlite in memory (tests),
// or a real Postgres when a DATABASE_URL is given.
import './env';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { App, setExperimental, splitSqlStatements } from '@supabase/lite';
import type { Connection } from '@supabase/lite';
import { createPgliteConnection } from '@supabase/lite/pglite';

import { applyPendingMigrations } from '@supabase/lite/cli';
import { createAdaptorServer } from '@hono/node-server';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { FileStorageAdapter } from './file-storage';
import { DevMailbox } from './mailbox';
import { generateKeys, loadOrCreateKeys, type LocalKeys } from './keys';
import { lockDataDir } from './lock';
import { createDbGate, type DbGate } from './db-gate';
import { createFetch } from './http';
import { LIMITS } from './limits';
import { createAuthLimits, type AuthLimitOptions } from './auth-limits';
import { createPhoneAuth, type PhoneAuthOptions } from './phone-auth';
import { SmsInbox } from './sms';
import { answerDbErrorsLikePostgrest } from './pg-errors';
import { sendRequestSettingsInOneStatement } from './request-settings';
import { keepProjectPrivileges } from './rls-grants';
import { attachRealtime, type RealtimeOptions, type RealtimeServer } from './realtime';
import { bucketLimitsFor, resumableForStack } from './resumable';
import { adminUsers } from './admin-users';

// Storage is behind lite's experimental flag, read from the environment at
// import time; turn it on directly.
setExperimental('storage', true);

const projectRoot = resolve(import.meta.dirname, '../..');
export const defaultDataDir = join(projectRoot, 'supabase/.temp/db');
/** Keys, stored files and unfinished uploads live here (beside the PGlite directory). */
export const defaultStateDir = join(projectRoot, 'supabase/.temp');

export interface StackOptions {
	port?: number;
	host?: string;
	/** PGlite directory; `null` keeps the database in memory (tests). */
	dataDir?: string | null;
	/**
	 * Where keys (keys.json), stored files (storage/) and unfinished uploads
	 * (resumable/) are kept. Default: SUPABASE_LOCAL_STATE_DIR, else the PGlite
	 * directory's parent, else supabase/.temp. `null`, and the default when
	 * `dataDir` is null (tests), is a fresh temporary folder deleted at stop,
	 * with fresh keys.
	 */
	stateDir?: string | null;
	/** Use a real Postgres instead of PGlite. */
	databaseUrl?: string;
	/** Drop everything and rebuild from migrations and seed. */
	reset?: boolean;
	/** Apply supabase/seed.sql on a fresh database (default true). */
	seed?: boolean;
	/** Where the app runs, for links in emails. */
	siteUrl?: string;
	log?: (line: string) => void;
	/**
	 * /auth/v1 per-address limits (./auth-limits.ts): which addresses are app
	 * servers (not limited per address; default loopback) and, behind a reverse
	 * proxy, the header that carries the client's address.
	 */
	auth?: AuthLimitOptions;
	/** Phone sign-in (./phone-auth.ts): the countries the local SMS "provider" delivers to, the codes' lifetime. */
	sms?: PhoneAuthOptions;
	/** Realtime server settings (tests shorten the heartbeat timeout). */
	realtime?: RealtimeOptions;
}

export interface UpgradeHandler {
	(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
}

export interface Stack extends LocalKeys {
	url: string;
	/** Where keys, stored files and unfinished uploads are kept (see StackOptions.stateDir). */
	stateDir: string;
	port: number;
	app: App;
	connection: Connection;
	/** The serialised way into the database for the stack's own code (see ./db-gate.ts). */
	gate: DbGate;
	mailbox: DevMailbox;
	/** The SMS codes the stack sent (./sms.ts). */
	sms: SmsInbox;
	server: Server;
	realtime: RealtimeServer;
	/** Resumable (TUS) uploads not finished yet. */
	resumableUploads(): number;
	/** Route WebSocket upgrades (the Realtime server registers here). */
	onUpgrade(handler: UpgradeHandler): void;
	/**
	 * Run SQL as the database owner (seeding, tests' set-up; never user requests).
	 * A closure, not a method: it may be passed on its own (`catalogSnapshot(stack.sql)`).
	 */
	sql: <T = Record<string, unknown>>(query: string, params?: unknown[]) => Promise<T[]>;
	stop(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
	const log = options.log ?? ((line: string) => console.log(line));
	const dataDir =
		options.databaseUrl || options.dataDir === null ? null : (options.dataDir ?? defaultDataDir);
	const configuredState =
		options.stateDir !== undefined
			? options.stateDir
			: options.dataDir === null
				? null
				: process.env.SUPABASE_LOCAL_STATE_DIR || (dataDir ? resolve(dataDir, '..') : defaultStateDir);
	// Before DATABASE_URL kept its state here too, every start made new keys (ending
	// every session) and lost the stored files.
	const temporaryState = configuredState === null;
	const stateDir = configuredState ? resolve(configuredState) : mkdtempSync(join(tmpdir(), 'sahakum-stack-'));
	// One process per PGlite directory (two corrupt it); with a real Postgres, one
	// per state folder (two would share stored files and unfinished uploads).
	const lockName = dataDir ?? (temporaryState ? null : join(stateDir, 'state'));
	const releaseLock = lockName ? lockDataDir(lockName) : () => undefined;

	try {
		if (options.reset) {
			if (dataDir) rmSync(dataDir, { recursive: true, force: true });
			rmSync(join(stateDir, 'storage'), { recursive: true, force: true });
		}
		const keys = temporaryState ? await generateKeys() : await loadOrCreateKeys(join(stateDir, 'keys.json'));
		const connection = options.databaseUrl
			? // postgres.js loads only when a real Postgres is asked for.
				(await import('@supabase/lite/postgres')).createPostgresConnection({
					url: options.databaseUrl,
					// Migrations' "already exists, skipping" notices are not news.
					postgresOptions: {
						onnotice: () => undefined,
						// lite hands json/jsonb parameters over already serialized (PGlite wants
						// that), but its postgres.js types serialize them again: a JSON *string*
						// was stored (storage.objects.metadata, auth.users.raw_user_meta_data).
						// Strings pass through; anything else is serialized as before.
						types: { json: jsonType(114), jsonb: jsonType(3802) }
					}
				})
			: await createPgliteConnection({
					...(dataDir ? { url: dataDir } : {}),
					pgliteOptions: { extensions: { pg_trgm, unaccent } }
				});
		const mailbox = new DevMailbox(log);
		const sms = new SmsInbox(log);
		const siteUrl = options.siteUrl ?? 'http://localhost:5173';
		const port = options.port ?? 54321;
		const host = options.host ?? '127.0.0.1';
		const app = new App({
			connection,
			api: { max_rows: LIMITS.rowsPerRead },
			auth: {
				enabled: true,
				enable_signup: true,
				jwt_secret: keys.jwtSecret,
				publishable_key: keys.publishableKey,
				secret_key: keys.secretKey,
				site_url: siteUrl,
				minimum_password_length: 8,
				email: { enable_confirmations: true, otp_length: 6, otp_expiry: 3600 }
			},
			storage: { enabled: true, file_size_limit: `${LIMITS.fileBytes / 1024 / 1024}MiB` },
			options: { drivers: { email: mailbox }, server: { disableStudio: true, admin: false } }
		});
		app._storageAdapter = new FileStorageAdapter(join(stateDir, 'storage'));
		answerDbErrorsLikePostgrest(connection);
		sendRequestSettingsInOneStatement(connection);
		keepProjectPrivileges(connection);
		await app.init();
		await app.ensureSystemSchema();
		if (options.reset && options.databaseUrl) await dropProjectSchemas(connection);

		const fresh = !(await hasAppliedMigrations(connection));
		await runScript(connection, readFileSync(join(import.meta.dirname, 'platform-shim.sql'), 'utf8'));
		await runScript(connection, readFileSync(join(import.meta.dirname, 'realtime/shim.sql'), 'utf8'));
		const { applied } = await applyPendingMigrations(app);
		if (applied.length) log(`applied ${applied.length} migration(s)`);
		const seedFile = join(projectRoot, 'supabase/seed.sql');
		if (fresh && options.seed !== false && existsSync(seedFile)) {
			await runScript(connection, readFileSync(seedFile, 'utf8'));
			log('seeded demo data from supabase/seed.sql');
		}

		// From here on, everything of ours that touches the database goes through the
		// gate, so it never lands inside a REST request's open transaction on PGlite.
		const gate = createDbGate(connection.driver);

		// Resumable (TUS) uploads, which lite lacks; objects are still stored by lite's Storage.
		const resumable = resumableForStack(join(stateDir, 'resumable'), app, gate, keys);
		const upgradeHandlers: UpgradeHandler[] = [];
		const authLimits = createAuthLimits(options.auth ?? {}, {
			sql: (query, params = []) => gate.query(query, params),
			sendEmail: (message) => mailbox.send(message),
			siteUrl
		});
		const phoneAuth = createPhoneAuth(options.sms ?? {}, {
			sql: (query, params = []) => gate.query(query, params),
			sms,
			lite: (request) => app.fetch(request, { peerAddress: null }),
			publishableKey: keys.publishableKey,
			jwtSecret: keys.jwtSecret
		});
		const handle = createFetch({
			app,
			mailbox,
			sms,
			phoneAuth,
			resumable,
			bucketLimits: bucketLimitsFor(app, keys),
			authLimits,
			adminUsers: adminUsers((query, params = []) => gate.query(query, params), keys.secretKey)
		});
		// Requests being answered: a stop lets them finish their database work
		// before the connection closes (a query cut by the close was an unhandled
		// rejection in the test run that stopped the stack).
		const answering = new Set<Promise<unknown>>();
		const server = createAdaptorServer({
			fetch: (request: Request, env: { incoming: { socket: { remoteAddress?: string } } }) => {
				const answer = handle(request, env.incoming.socket.remoteAddress ?? null);
				const settled = Promise.resolve(answer).catch(() => undefined);
				answering.add(settled);
				void settled.finally(() => answering.delete(settled));
				return answer;
			}
		}) as Server;
		server.on('upgrade', (request, socket, head) => {
			if (!upgradeHandlers.some((handle) => handle(request, socket, head))) {
				socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
			}
		});
		// Every socket, upgraded ones included: closeAllConnections() knows only
		// HTTP ones, and a realtime client that reconnected while the stack was
		// stopping kept server.close() waiting for ever (a CI run hung on it).
		const sockets = new Set<Duplex>();
		server.on('connection', (socket: Duplex) => {
			sockets.add(socket);
			socket.once('close', () => sockets.delete(socket));
		});
		await listen(server, port, host);
		const actualPort = (server.address() as AddressInfo).port;

		let stopped = false;
		const stack: Stack = {
			...keys,
			url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actualPort}`,
			port: actualPort,
			stateDir,
			app,
			connection,
			gate,
			mailbox,
			sms,
			server,
			realtime: undefined as never, // attached below, once the stack object exists
			resumableUploads: () => resumable.pending(),
			// Parameters go to the driver through the gate: lite's exec() does not bind them.
			sql: (query, params = []) => gate.query(query, params),
			onUpgrade: (handler) => upgradeHandlers.push(handler),
			async stop() {
				if (stopped) return;
				stopped = true;
				await stack.realtime?.close();
				await resumable.close();
				const closed = new Promise<void>((done) => server.close(() => done()));
				server.closeAllConnections?.();
				for (const socket of sockets) socket.destroy();
				await closed;
				await Promise.race([
					Promise.allSettled([...answering]),
					new Promise((done) => setTimeout(done, 5000).unref())
				]);
				gate.close();
				await connection.close();
				releaseLock();
				if (temporaryState) rmSync(stateDir, { recursive: true, force: true });
			}
		};
		stack.realtime = await attachRealtime(stack, { log, ...options.realtime });
		mailbox.readLanguagesWith(stack.sql); // emails in the recipient's language (mailbox.ts)
		return stack;
	} catch (error) {
		releaseLock();
		if (temporaryState) rmSync(stateDir, { recursive: true, force: true });
		throw error;
	}
}

/** A postgres.js type for json (114) or jsonb (3802) that does not serialize strings twice. */
function jsonType(oid: number) {
	return {
		to: oid,
		from: [oid],
		serialize: (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value)),
		parse: (text: string) => JSON.parse(text) as unknown
	};
}

function listen(server: Server, port: number, host: string): Promise<void> {
	return new Promise((resolvePromise, reject) => {
		server.once('error', (error: NodeJS.ErrnoException) => {
			if (error.code === 'EADDRINUSE') {
				reject(new Error(`Port ${port} is already in use. Stop what runs there or pass --port <n>.`));
			} else reject(error);
		});
		server.listen(port, host, () => resolvePromise());
	});
}

async function hasAppliedMigrations(connection: Connection): Promise<boolean> {
	try {
		const result = await connection.exec<{ rows: { n: number }[] }>(
			'select count(*)::int as n from supabase_migrations.schema_migrations'
		);
		return result.rows[0].n > 0;
	} catch {
		return false;
	}
}

async function runScript(connection: Connection, sql: string): Promise<void> {
	await connection.transaction(splitSqlStatements(sql));
}

async function dropProjectSchemas(connection: Connection): Promise<void> {
	await runScript(
		connection,
		`drop schema if exists public cascade; create schema public;
		 drop schema if exists realtime cascade; drop schema if exists supabase_migrations cascade;
		 truncate auth.users cascade;`
	);
}
