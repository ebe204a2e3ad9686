// The one piece of hosted Auth's admin API the app uses: deleting an account
// (`DELETE /auth/v1/admin/users/<id>`, and the `GET` of the same user that
// supabase-js's auth.admin.deleteUser sends first). Lite has no admin user API. As on hosted Supabase, only the secret key
// may call it (in the apikey header or as the bearer token); a user's token or
// the publishable key gets 403 and nothing changes. The auth.users row goes and
// its sessions, refresh tokens and identities with it; the app's tables follow
// their foreign keys (cascade or set null), exactly as when hosted GoTrue deletes it.
import { timingSafeEqual } from 'node:crypto';

const PATH = /^\/auth\/v1\/admin\/users\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

type Sql = (query: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

const same = (a: string, b: string) => {
	const [x, y] = [Buffer.from(a), Buffer.from(b)];
	return x.length === y.length && timingSafeEqual(x, y);
};

const notFound = () =>
	Response.json({ code: 404, error_code: 'user_not_found', msg: 'User not found' }, { status: 404 });

/** Answers the admin deletion (and the read supabase-js makes before it), or null for anything else. */
export function adminUsers(sql: Sql, secretKey: string) {
	return async (request: Request, url: URL): Promise<Response | null> => {
		const match = PATH.exec(url.pathname);
		if (!match) return null;
		const bearer = /^Bearer (.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
		const key = request.headers.get('apikey') ?? '';
		if (!same(key, secretKey) && !same(bearer, secretKey)) {
			return Response.json({ code: 403, error_code: 'not_admin', msg: 'User not allowed' }, { status: 403 });
		}
		const id = match[1].toLowerCase();
		if (request.method === 'GET') {
			// supabase-js's deleteUser() reads the user first (its answer until v3: supabase-js#2751).
			const [user] = await sql(
				`select id::text as id, aud, role, email, created_at, updated_at,
				        coalesce(raw_user_meta_data, '{}'::jsonb) as user_metadata,
				        coalesce(raw_app_meta_data, '{}'::jsonb) as app_metadata
				   from auth.users where id = $1`,
				[id]
			);
			return user ? Response.json(user) : notFound();
		}
		if (request.method !== 'DELETE') {
			return Response.json(
				{ code: 405, error_code: 'method_not_allowed', msg: 'Only GET and DELETE are served locally' },
				{ status: 405 }
			);
		}
		let deleted: unknown[];
		try {
			deleted = await sql('delete from auth.users where id = $1 returning id', [id]);
		} catch (error) {
			// A rule of the app refused (a foreign key or a guard): nothing was deleted, as on hosted.
			const msg = error instanceof Error ? error.message : String(error);
			return Response.json({ code: 500, error_code: 'unexpected_failure', msg }, { status: 500 });
		}
		// Hosted Auth answers the deletion with an empty object.
		return deleted.length ? Response.json({}) : notFound();
	};
}
