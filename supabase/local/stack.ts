// The local stand-in for the Supabase platform: one Node process, one port.
//   /auth/v1, /rest/v1, /storage/v1  -> @supabase/lite (GoTrue, PostgREST, Storage APIs)
//   /realtime/v1/websocket           -> our Realtime server (see ./realtime)
//   /mailbox                         -> emails the stack sent (local only)
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
import type { Connection, DefaultAppConfig } from '@supabase/lite';
import { createPgliteConnection } from '@supabase/lite/pglite';

import { applyPendingMigrations } from '@supabase/lite/cli';
import { createAdaptorServer } from '@hono/node-server';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { FileStorageAdapter } from './file-storage';
import { DevMailbox, handleMailboxRequest } from './mailbox';
import { generateKeys, loadOrCreateKeys, type LocalKeys } from './keys';
import { lockDataDir } from './lock';
import { attachRealtime, type RealtimeOptions, type RealtimeServer } from './realtime';
import { createResumableUploads, RESUMABLE_PATH } from './resumable';

// Storage is behind lite's experimental flag, read from the environment at
// import time; turn it on directly.
setExperimental('storage', true);

const projectRoot = resolve(import.meta.dirname, '../..');
export const defaultDataDir = join(projectRoot, 'supabase/.temp/db');

export interface StackOptions {
	port?: number;
	host?: string;
	/** PGlite directory; `null` keeps the database in memory (tests). */
	dataDir?: string | null;
	/** Use a real Postgres instead of PGlite. */
	databaseUrl?: string;
	/** Drop everything and rebuild from migrations and seed. */
	reset?: boolean;
	/** Apply supabase/seed.sql on a fresh database (default true). */
	seed?: boolean;
	/** Where the app runs, for links in emails. */
	siteUrl?: string;
	log?: (line: string) => void;
	/** Realtime server settings (tests shorten the heartbeat timeout). */
	realtime?: RealtimeOptions;
}

export interface UpgradeHandler {
	(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
}

export interface Stack extends LocalKeys {
	url: string;
	port: number;
	app: App;
	connection: Connection;
	mailbox: DevMailbox;
	server: Server;
	realtime: RealtimeServer;
	/** Resumable (TUS) uploads not finished yet. */
	resumableUploads(): number;
	/** Route WebSocket upgrades (the Realtime server registers here). */
	onUpgrade(handler: UpgradeHandler): void;
	/** Run SQL as the database owner (seeding, tests' set-up; never user requests). */
	sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
	stop(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
	const log = options.log ?? ((line: string) => console.log(line));
	const inMemory = options.dataDir === null && !options.databaseUrl;
	const dataDir =
		options.databaseUrl || options.dataDir === null ? null : (options.dataDir ?? defaultDataDir);
	const stateDir = dataDir ? resolve(dataDir, '..') : mkdtempSync(join(tmpdir(), 'sahakum-stack-'));
	const releaseLock = dataDir ? lockDataDir(dataDir) : () => undefined;

	try {
		if (options.reset && dataDir) {
			rmSync(dataDir, { recursive: true, force: true });
			rmSync(join(stateDir, 'storage'), { recursive: true, force: true });
		}
		const keys = inMemory ? await generateKeys() : await loadOrCreateKeys(join(stateDir, 'keys.json'));
		const connection = options.databaseUrl
			? // postgres.js loads only when a real Postgres is asked for.
				(await import('@supabase/lite/postgres')).createPostgresConnection({
					url: options.databaseUrl,
					// Migrations' "already exists, skipping" notices are not news.
					postgresOptions: { onnotice: () => undefined }
				})
			: await createPgliteConnection({
					...(dataDir ? { url: dataDir } : {}),
					pgliteOptions: { extensions: { pg_trgm, unaccent } }
				} as Parameters<typeof createPgliteConnection>[0]);
		const mailbox = new DevMailbox(log);
		const port = options.port ?? 54321;
		const host = options.host ?? '127.0.0.1';
		const app = new App({
			connection,
			api: { max_rows: 1000 },
			auth: {
				enabled: true,
				enable_signup: true,
				jwt_secret: keys.jwtSecret,
				publishable_key: keys.publishableKey,
				secret_key: keys.secretKey,
				site_url: options.siteUrl ?? 'http://localhost:5173',
				minimum_password_length: 8,
				email: { enable_confirmations: true, otp_length: 6, otp_expiry: 3600 }
			},
			storage: { enabled: true, file_size_limit: '50MiB' },
			options: { drivers: { email: mailbox }, server: { disableStudio: true, admin: false } }
		} as DefaultAppConfig);
		app._storageAdapter = new FileStorageAdapter(join(stateDir, 'storage')) as never;
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

		// Resumable (TUS) uploads, which lite lacks; objects are still stored by lite's Storage.
		const resumable = createResumableUploads({
			dir: join(stateDir, 'resumable'),
			jwtSecret: keys.jwtSecret,
			storageFetch: (request, peer) => app.fetch(request, { peerAddress: peer }),
			// The insert the upload will make, tried as the user and rolled back. An
			// existing object without upsert is a 409, as hosted answers.
			canUpload: async (token, bucket, objectName, upsert) => {
				const tried = await stack.realtime.tryAsUser(
					token,
					`insert into storage.objects (bucket_id, name, owner, owner_id)
					 values ($1, $2, auth.uid(), auth.uid()::text)`,
					[bucket, objectName]
				);
				if (tried.ok) return null;
				if (tried.code === '23505') return upsert ? null : 409;
				return 403;
			},
			bucketLimits: async (bucket) => {
				const response = await app.fetch(
					new Request(`http://stack.local/storage/v1/bucket/${encodeURIComponent(bucket)}`, {
						headers: { apikey: keys.secretKey, authorization: `Bearer ${keys.secretKey}` }
					}),
					{ peerAddress: null }
				);
				if (!response.ok) return null;
				const found = (await response.json()) as {
					file_size_limit?: number | null;
					allowed_mime_types?: string[] | null;
				};
				return { maxBytes: found.file_size_limit ?? null, mimeTypes: found.allowed_mime_types ?? null };
			}
		});

		const upgradeHandlers: UpgradeHandler[] = [];
		const server = createAdaptorServer({
			fetch: (request: Request, env: { incoming: { socket: { remoteAddress?: string } } }) => {
				const url = new URL(request.url);
				const peer = env.incoming.socket.remoteAddress ?? null;
				if (url.pathname === '/health') return Response.json({ ok: true });
				if (url.pathname.startsWith(RESUMABLE_PATH)) {
					return resumable
						.handle(request, peer)
						.then((done) => done ?? app.fetch(request, { peerAddress: peer }));
				}
				return handleMailboxRequest(url, mailbox) ?? app.fetch(request, { peerAddress: peer });
			}
		}) as Server;
		server.on('upgrade', (request, socket, head) => {
			if (!upgradeHandlers.some((handle) => handle(request, socket, head))) {
				socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
			}
		});
		await listen(server, port, host);
		const actualPort = (server.address() as AddressInfo).port;

		// Parameters go to the driver itself: lite's exec() does not bind them.
		// Once Realtime is attached its gate is used, so an owner statement never
		// lands inside a REST request's open transaction on PGlite's one session
		// (it would run as that request's role: seen as empty query plans in bench:threads).
		const sql = async <T>(query: string, params: unknown[] = []): Promise<T[]> => {
			if (stack?.realtime) return stack.realtime.ownerQuery<T>(query, params);
			const driver = connection.driver as {
				query?: (q: string, p: unknown[]) => Promise<{ rows: T[] }>;
				unsafe?: (q: string, p: never[]) => Promise<T[]>;
			};
			if (driver.unsafe) return [...(await driver.unsafe(query, params as never[]))];
			return (await driver.query!(query, params)).rows;
		};

		let stopped = false;
		const stack: Stack = {
			...keys,
			url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actualPort}`,
			port: actualPort,
			app,
			connection,
			mailbox,
			server,
			realtime: undefined as never, // attached below, once the stack object exists
			resumableUploads: () => resumable.pending(),
			sql,
			onUpgrade: (handler) => upgradeHandlers.push(handler),
			async stop() {
				if (stopped) return;
				stopped = true;
				await stack.realtime?.close();
				await resumable.close();
				server.closeAllConnections?.();
				await new Promise<void>((done) => server.close(() => done()));
				await connection.close();
				releaseLock();
				if (inMemory) rmSync(stateDir, { recursive: true, force: true });
			}
		};
		stack.realtime = await attachRealtime(stack, { log, ...options.realtime });
		mailbox.readLanguagesWith(sql); // emails in the recipient's language (mailbox.ts)
		return stack;
	} catch (error) {
		releaseLock();
		throw error;
	}
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
		const result = (await connection.exec(
			'select count(*)::int as n from supabase_migrations.schema_migrations'
		)) as { rows: { n: number }[] };
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
