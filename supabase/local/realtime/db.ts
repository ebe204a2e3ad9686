// The Realtime server's own database work: RLS authorization probes on
// realtime.messages, reading messages, and LISTEN for what realtime.send inserts.
//
// PGlite is a single session shared with lite, and lite's PGlite driver opens its
// request transactions with a plain BEGIN query. Without care, a query of ours
// could land inside a REST request's open transaction (running as that request's
// role, or our ROLLBACK ending it). So on PGlite every database call of ours goes
// through a gate: it waits until no lite transaction is open, holds new BEGINs back
// while it runs (PGlite's own mutex keeps single queries out of our transaction),
// then lets them through. On a real Postgres (postgres.js pool) each call simply
// takes its own pooled connection.
import { randomUUID } from 'node:crypto';
import type { Identity } from './auth';

export const NOTIFY_CHANNEL = 'realtime_local_messages';

export interface Tx {
	query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface RealtimeDb {
	/** Runs `fn` in a transaction that is always rolled back. */
	rolledBack<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
	/** One statement as the database owner, outside any request's transaction. */
	query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
	listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
	close(): void;
}

interface PgliteLike {
	query(sql: string, params?: unknown[], options?: unknown): Promise<{ rows: unknown[] }>;
	exec(sql: string, options?: unknown): Promise<unknown>;
	transaction<T>(fn: (tx: PgliteTx) => Promise<T>): Promise<T>;
	listen(channel: string, cb: (payload: string) => void): Promise<() => Promise<void>>;
}
interface PgliteTx {
	query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
	rollback(): Promise<void>;
}
interface PostgresJsLike {
	unsafe(sql: string, params?: unknown[]): Promise<unknown[]>;
	begin<T>(fn: (tx: PostgresJsLike) => Promise<T>): Promise<T>;
	listen(channel: string, cb: (payload: string) => void): Promise<{ unlisten(): Promise<void> }>;
}

export function createRealtimeDb(driver: unknown): RealtimeDb {
	const d = driver as Partial<PgliteLike & PostgresJsLike>;
	if (typeof d.unsafe === 'function') return postgresJsDb(driver as PostgresJsLike);
	if (typeof d.transaction === 'function' && typeof d.listen === 'function')
		return pgliteDb(driver as PgliteLike);
	throw new Error('Realtime: unknown database driver (expected PGlite or postgres.js)');
}

function postgresJsDb(sql: PostgresJsLike): RealtimeDb {
	const rollback = Symbol('rollback');
	return {
		async rolledBack(fn) {
			let result: Awaited<ReturnType<typeof fn>> | undefined;
			try {
				await sql.begin(async (tx) => {
					result = await fn({ query: async (q, p = []) => (await tx.unsafe(q, p)) as never });
					throw rollback;
				});
			} catch (error) {
				if (error !== rollback) throw error;
			}
			return result as Awaited<ReturnType<typeof fn>>;
		},
		query: async (q, p = []) => [...(await sql.unsafe(q, p))] as never,
		async listen(channel, onPayload) {
			const { unlisten } = await sql.listen(channel, onPayload);
			return unlisten;
		},
		close() {}
	};
}

const BEGIN = /^\s*(begin|start\s+transaction)\b[^;]*;?\s*$/i;
const END = /^\s*(commit|end|abort|rollback)\b(?!\s+(to|prepared)\b)[^;]*;?\s*$/i;

function pgliteDb(pg: PgliteLike): RealtimeDb {
	const originalQuery = pg.query;
	const originalExec = pg.exec;
	let open = 0; // lite transactions between BEGIN and COMMIT/ROLLBACK
	let busy = false; // one of our calls holds the database
	let begins: (() => void)[] = []; // lite BEGINs waiting for us
	const ops: (() => void)[] = []; // our calls waiting for lite transactions to end

	const pump = () => {
		if (busy || open > 0) return;
		const next = ops.shift();
		if (next) {
			busy = true;
			next();
		}
	};
	const enterBegin = async () => {
		if (!busy && ops.length === 0) {
			open++;
			return;
		}
		await new Promise<void>((resolve) => begins.push(resolve));
	};
	const exitTransaction = () => {
		open = Math.max(0, open - 1);
		pump();
	};
	const release = () => {
		busy = false;
		// Fairness: BEGINs that waited go first, then our next call waits for them to end.
		const waiting = begins;
		begins = [];
		for (const resolve of waiting) {
			open++;
			resolve();
		}
		pump();
	};
	const gated = async <T>(fn: () => Promise<T>): Promise<T> => {
		await new Promise<void>((resolve) => {
			ops.push(resolve);
			pump();
		});
		try {
			return await fn();
		} finally {
			release();
		}
	};
	// Wrap lite's entry points (it calls query() for kysely and exec() for scripts) on
	// this instance only; single statements other than BEGIN/COMMIT/ROLLBACK pass
	// straight through.
	const track =
		<A extends unknown[], R>(original: (sql: string, ...rest: A) => Promise<R>) =>
		async (sql: string, ...rest: A): Promise<R> => {
			if (typeof sql === 'string' && BEGIN.test(sql)) {
				await enterBegin();
				try {
					return await original.call(pg, sql, ...rest);
				} catch (error) {
					exitTransaction();
					throw error;
				}
			}
			if (typeof sql === 'string' && END.test(sql)) {
				try {
					return await original.call(pg, sql, ...rest);
				} finally {
					exitTransaction();
				}
			}
			return original.call(pg, sql, ...rest);
		};
	pg.query = track(originalQuery) as PgliteLike['query'];
	pg.exec = track(originalExec) as PgliteLike['exec'];

	return {
		rolledBack: (fn) =>
			gated(() =>
				pg.transaction(async (tx) => {
					const result = await fn({ query: async (q, p) => (await tx.query(q, p)).rows as never });
					await tx.rollback();
					return result;
				})
			),
		query: (q, p) => gated(async () => (await originalQuery.call(pg, q, p)).rows as never),
		// LISTEN inside someone's transaction would be undone by its rollback: gate it too.
		listen: (channel, onPayload) => gated(() => pg.listen(channel, onPayload)),
		close() {
			if (pg.query !== originalQuery) pg.query = originalQuery;
			if (pg.exec !== originalExec) pg.exec = originalExec;
			for (const resolve of begins) resolve();
			begins = [];
		}
	};
}

// ---------------------------------------------------------------------------
// Authorization, the way hosted Realtime does it (Realtime.Tenants.Authorization):
// read  = insert probe rows into realtime.messages as the owner, then SELECT them
//         back as the user's role with the user's claims and realtime.topic set;
// write = INSERT a row as the user's role; an RLS refusal means no.
// Everything happens in a transaction that is rolled back.

export type Extension = 'broadcast' | 'presence';
export interface ReadResult {
	broadcast: boolean;
	/** null when presence was not asked about. */
	presence: boolean | null;
	/** A policy raised an error: hosted treats that as not authorized. */
	error?: string;
}
export type WriteResult = Record<Extension, boolean> & { error?: string };

async function setContext(tx: Tx, topic: string, identity: Identity): Promise<void> {
	const sub = typeof identity.claims.sub === 'string' ? identity.claims.sub : '';
	await tx.query(
		`select set_config('role', $1, true), set_config('realtime.topic', $2, true),
		        set_config('request.jwt.claims', $3, true), set_config('request.jwt.claim.sub', $4, true),
		        set_config('request.jwt.claim.role', $1, true), set_config('request.headers', '{}', true)`,
		[identity.role, topic, JSON.stringify(identity.claims), sub]
	);
}

/** Read authorization for several identities on one topic, in one transaction. */
export async function checkRead(
	db: RealtimeDb,
	topic: string,
	identities: Identity[],
	withPresence: boolean
): Promise<Map<string, ReadResult>> {
	const probes: Record<Extension, string> = { broadcast: randomUUID(), presence: randomUUID() };
	return db.rolledBack(async (tx) => {
		await tx.query(
			`insert into realtime.messages (id, topic, extension) values ($1, $3, 'broadcast'), ($2, $3, 'presence')`,
			[probes.broadcast, probes.presence, topic]
		);
		const results = new Map<string, ReadResult>();
		for (const identity of identities) {
			if (results.has(identity.key)) continue;
			await tx.query('savepoint realtime_check');
			try {
				await setContext(tx, topic, identity);
				const rows = await tx.query<{ id: string }>(
					'select id::text as id from realtime.messages where id = any($1::uuid[])',
					[`{${probes.broadcast},${probes.presence}}`]
				);
				const seen = new Set(rows.map((r) => r.id));
				results.set(identity.key, {
					broadcast: seen.has(probes.broadcast),
					presence: withPresence ? seen.has(probes.presence) : null
				});
			} catch (error) {
				results.set(identity.key, {
					broadcast: false,
					presence: withPresence ? false : null,
					error: message(error)
				});
			}
			await tx.query('rollback to savepoint realtime_check');
		}
		return results;
	});
}

/** Write authorization (may this identity send broadcast / track presence on the topic?). */
export async function checkWrite(db: RealtimeDb, topic: string, identity: Identity): Promise<WriteResult> {
	return db.rolledBack(async (tx) => {
		const result: WriteResult = { broadcast: false, presence: false };
		try {
			await setContext(tx, topic, identity);
		} catch (error) {
			return { ...result, error: message(error) };
		}
		for (const extension of ['broadcast', 'presence'] as const) {
			await tx.query('savepoint realtime_write');
			try {
				await tx.query(`insert into realtime.messages (topic, extension) values ($1, $2)`, [
					topic,
					extension
				]);
				result[extension] = true;
			} catch (error) {
				// 42501 = RLS refused the row (or no INSERT grant): simply "no".
				if ((error as { code?: string }).code !== '42501') result.error = message(error);
			}
			await tx.query('rollback to savepoint realtime_write');
		}
		return result;
	});
}

export interface StoredMessage {
	topic: string;
	event: string;
	private: boolean;
	payload: string | null;
	binary: string | null;
}

/** Reads a message whose payload was too large to ride along in the notification. */
export async function readMessage(db: RealtimeDb, id: string): Promise<StoredMessage | undefined> {
	const rows = await db.query<StoredMessage>(
		`select topic, event, coalesce(private, false) as private, payload::text as payload,
		        encode(binary_payload, 'base64') as binary
		   from realtime.messages where id = $1::uuid limit 1`,
		[id]
	);
	return rows[0];
}

/**
 * Broadcast replay (hosted: `Realtime.Messages.replay`): the newest `limit`
 * messages from the database on a private topic since `sinceMs`, oldest first.
 */
export async function replayMessages(
	db: RealtimeDb,
	topic: string,
	sinceMs: number,
	limit: number
): Promise<(StoredMessage & { id: string })[]> {
	const rows = await db.query<StoredMessage & { id: string }>(
		`select id::text, topic, event, true as private, payload::text as payload,
		        encode(binary_payload, 'base64') as binary
		   from realtime.messages
		  where topic = $1 and private is true and extension = 'broadcast' and event is not null
		    and inserted_at >= (to_timestamp($2::double precision / 1000) at time zone 'UTC')
		  order by inserted_at desc
		  limit $3`,
		[topic, sinceMs, limit]
	);
	return rows.reverse();
}

/**
 * Runs one statement as this identity (role, claims) in a transaction that is
 * rolled back: "would RLS let them?" without changing anything. The local
 * stack's resumable uploads ask it before accepting bytes, as hosted Storage
 * does (canUpload). The error's SQLSTATE comes back (42501: a policy said no).
 */
export async function tryAs(
	db: RealtimeDb,
	identity: Identity,
	sql: string,
	params: unknown[]
): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
	return db.rolledBack(async (tx) => {
		try {
			await setContext(tx, '', identity);
			await tx.query(sql, params);
			return { ok: true as const };
		} catch (error) {
			const code = String((error as { code?: string }).code ?? '');
			return { ok: false as const, code, message: message(error) };
		}
	});
}

/** Hosted Realtime drops message partitions after a few days; keep the local table small the same way. */
export async function pruneMessages(db: RealtimeDb): Promise<void> {
	await db.query(`delete from realtime.messages where inserted_at < now() - interval '3 days'`);
}

function message(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
