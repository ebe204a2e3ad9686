// Each request's settings in one statement, as PostgREST sends them.
//
// lite (0.10.0) gives a request its role and claims with one `SELECT
// set_config(…)` per setting: six statements for the role and claims, five
// more for an RPC's request settings, each a round trip to the database
// between BEGIN and the call. On a real Postgres that is eleven socket writes
// and waits per call, and the largest share of the stack's CPU under load
// (`BENCH_PROFILE=… npm run bench:server`). Here the same settings go in two
// statements, one per lite method, with the same values, in the same
// transaction, in the same order.
//
// `SET LOCAL ROLE` is left out: `set_config('role', r, true)`, which lite runs
// first for every role, is what `SET LOCAL ROLE r` does. lite validates the role
// name before either; its check is kept (below) so an odd name still fails.
//
// Guarded by tests/integration/platform/request-settings.spec.ts, which reads the
// settings back inside an RPC, and by every RLS test. Remove when lite batches
// them itself.
import { sql, type Transaction } from 'kysely';
import type { Connection } from '@supabase/lite';

interface RequestContext {
	auth?: { role?: string; uid?: string | number | null; jwt?: unknown };
	storage?: { operation?: string | null };
}
interface RpcRequest {
	method: string;
	path: string;
	requestHeaders?: Record<string, unknown>;
}
type Executor = Transaction<unknown>;
interface LiteConnectionMethods {
	applyJwtSessionContext(executor: Executor, context: RequestContext, setRole: boolean): Promise<void>;
	applyRpcRequestGucs(executor: Executor, rpc: RpcRequest): Promise<void>;
}

const roleName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function sendRequestSettingsInOneStatement(connection: Connection): void {
	const target = connection as unknown as LiteConnectionMethods;
	if (typeof target.applyJwtSessionContext !== 'function' || typeof target.applyRpcRequestGucs !== 'function')
		throw new Error(
			'@supabase/lite no longer has applyJwtSessionContext/applyRpcRequestGucs: see supabase/local/request-settings.ts'
		);

	target.applyJwtSessionContext = async (executor, context, setRole) => {
		const role = context.auth?.role || 'anon';
		if (setRole && !roleName.test(role)) throw new Error(`invalid role name: ${role}`);
		const jwt = context.auth?.jwt;
		const claims = jwt && typeof jwt === 'object' ? JSON.stringify(jwt) : null;
		await sql`SELECT
			set_config('role', ${role}, true),
			set_config('request.jwt.claim.sub', ${String(context.auth?.uid ?? '')}, true),
			set_config('request.jwt.claim.role', ${role}, true),
			set_config('storage.operation', ${String(context.storage?.operation ?? '')}, true),
			CASE WHEN ${claims}::text IS NOT NULL THEN set_config('request.jwt.claims', ${claims}::text, true) END`.execute(
			executor
		);
	};

	target.applyRpcRequestGucs = async (executor, rpc) => {
		await sql`SELECT
			set_config('response.status', '', true),
			set_config('response.headers', '', true),
			set_config('request.method', ${rpc.method}, true),
			set_config('request.path', ${rpc.path}, true),
			set_config('request.headers', ${JSON.stringify(rpc.requestHeaders ?? {})}, true)`.execute(executor);
	};
}
