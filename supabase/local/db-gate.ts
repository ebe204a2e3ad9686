// The database gate: the one way the local stack's own code (owner SQL for tests
// and seeding, the TUS endpoint's "may this user upload?", the Realtime server's
// authorization probes and LISTEN) reaches the database lite also uses.
//
// PGlite is a single session shared with lite, and lite's PGlite driver opens its
// request transactions with a plain BEGIN query. Without care, a query of ours
// could land inside a REST request's open transaction (running as that request's
// role, or our ROLLBACK ending it: bench:threads once printed empty query plans
// that way). So on PGlite every call of ours goes through a gate: it waits until
// no lite transaction is open, holds new BEGINs back while it runs (PGlite's own
// mutex keeps single queries out of our transaction), then lets them through. On a
// real Postgres (postgres.js pool) each call simply takes its own pooled connection.
import type { Identity } from './jwt';

export interface Tx {
	query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface DbGate {
	/** Runs `fn` in a transaction that is always rolled back. */
	rolledBack<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
	/** One statement as the database owner, outside any request's transaction. */
	query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
	listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
	/** Puts lite's own entry points back (PGlite); call once nothing of ours runs any more. */
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
	// postgres.js returns a closure here, not a method: it may be called on its own.
	listen(channel: string, cb: (payload: string) => void): Promise<{ unlisten: () => Promise<void> }>;
}

/** Wraps lite's database driver (its `connection.driver`). One gate per connection. */
export function createDbGate(driver: unknown): DbGate {
	const d = driver as Partial<PgliteLike & PostgresJsLike>;
	if (typeof d.unsafe === 'function') return postgresJsDb(driver as PostgresJsLike);
	if (typeof d.transaction === 'function' && typeof d.listen === 'function')
		return pgliteDb(driver as PgliteLike);
	throw new Error('Database gate: unknown driver (expected PGlite or postgres.js)');
}

function postgresJsDb(sql: PostgresJsLike): DbGate {
	// Thrown to make postgres.js roll the transaction back, then caught below.
	const rollback = new Error('rolled back on purpose');
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

function pgliteDb(pg: PgliteLike): DbGate {
	// eslint-disable-next-line @typescript-eslint/unbound-method -- restored unbound onto pg, called with .call(pg)
	const originalQuery = pg.query;
	// eslint-disable-next-line @typescript-eslint/unbound-method -- restored unbound onto pg, called with .call(pg)
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
	pg.query = track(originalQuery);
	pg.exec = track(originalExec);

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
// Acting as a user: the settings lite (and PostgREST) set for a request, so RLS
// policies, auth.uid() and realtime.topic() see that user. Only inside a
// transaction (set_config(..., true) ends with it).

export async function setContext(tx: Tx, identity: Identity, topic = ''): Promise<void> {
	const sub = typeof identity.claims.sub === 'string' ? identity.claims.sub : '';
	await tx.query(
		`select set_config('role', $1, true), set_config('realtime.topic', $2, true),
		        set_config('request.jwt.claims', $3, true), set_config('request.jwt.claim.sub', $4, true),
		        set_config('request.jwt.claim.role', $1, true), set_config('request.headers', '{}', true)`,
		[identity.role, topic, JSON.stringify(identity.claims), sub]
	);
}

export type Tried = { ok: true } | { ok: false; code: string; message: string };

/**
 * Runs one statement as this identity (role, claims) in a transaction that is
 * rolled back: "would RLS let them?" without changing anything. The local
 * stack's resumable uploads ask it before accepting bytes, as hosted Storage
 * does (canUpload). The error's SQLSTATE comes back (42501: a policy said no).
 */
export async function tryAs(
	gate: DbGate,
	identity: Identity,
	sql: string,
	params: unknown[]
): Promise<Tried> {
	return gate.rolledBack(async (tx) => {
		try {
			await setContext(tx, identity);
			await tx.query(sql, params);
			return { ok: true as const };
		} catch (error) {
			const code = String((error as { code?: string }).code ?? '');
			return { ok: false as const, code, message: error instanceof Error ? error.message : String(error) };
		}
	});
}
