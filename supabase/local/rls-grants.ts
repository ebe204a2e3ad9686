// The project's own table privileges, kept as the migrations left them.
//
// At its first request, lite (0.10.0) runs `GRANT ALL ON ALL TABLES` (and
// sequences, and the same as default privileges) to anon, authenticated and
// service_role in every schema that has a table with row level security. In
// `public` that undid every `revoke` of our migrations at each start of the
// stack: anon could select from push_subscriptions, a signed-in person could
// update it (RLS still filtered the rows; the second wall was gone). Hosted
// Supabase grants public's tables through default privileges when they are
// created (platform-shim.sql does the same) and never again, so a revoke stays.
// Here lite's grants are made for its own schemas (storage, realtime…), which
// no migration of ours touches, and never for `public`.
//
// The first requests after a start also ran lite's check side by side, each
// granting at once: PostgreSQL refused one with "tuple concurrently updated"
// (a 500, seen in bench:server). Here the check runs once; every request waits
// for it.
//
// Guarded by supabase/local/tests/rls-grants.spec.ts. Remove when lite leaves
// the project's schema alone.
import { sql, type Kysely } from 'kysely';
import type { Connection } from '@supabase/lite';

/** The schema our migrations own; its privileges are theirs alone. */
const PROJECT_SCHEMA = 'public';
const API_ROLES = 'anon, authenticated, service_role';

interface LiteRlsState {
	rlsState: 'unknown' | 'active' | 'inactive';
	ensureRlsContext(): Promise<boolean>;
	kysely: Kysely<unknown>;
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

export function keepProjectPrivileges(connection: Connection): void {
	const target = connection as unknown as LiteRlsState;
	if (typeof target.ensureRlsContext !== 'function' || target.rlsState !== 'unknown' || !target.kysely)
		throw new Error(
			'@supabase/lite no longer has ensureRlsContext/rlsState: see supabase/local/rls-grants.ts'
		);

	let checked: Promise<boolean> | undefined;
	target.ensureRlsContext = () =>
		(checked ??= (async () => {
			const { rows } = await sql<{ nspname: string }>`
				SELECT DISTINCT n.nspname FROM pg_class c
				JOIN pg_namespace n ON n.oid = c.relnamespace
				WHERE c.relrowsecurity`.execute(target.kysely);
			if (rows.length === 0) {
				target.rlsState = 'inactive';
				return false;
			}
			// The roles themselves come from platform-shim.sql, before any request.
			for (const { nspname } of rows) {
				if (nspname === PROJECT_SCHEMA) continue;
				const schema = quoted(nspname);
				for (const statement of [
					`GRANT USAGE ON SCHEMA ${schema} TO ${API_ROLES}`,
					`GRANT ALL ON ALL TABLES IN SCHEMA ${schema} TO ${API_ROLES}`,
					`GRANT ALL ON ALL SEQUENCES IN SCHEMA ${schema} TO ${API_ROLES}`,
					`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT ALL ON TABLES TO ${API_ROLES}`,
					`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT ALL ON SEQUENCES TO ${API_ROLES}`
				])
					await sql.raw(statement).execute(target.kysely);
			}
			target.rlsState = 'active';
			return true;
		})().catch((error: unknown) => {
			// A failed check is tried again by the next request, as lite's would be.
			checked = undefined;
			throw error;
		}));
}
