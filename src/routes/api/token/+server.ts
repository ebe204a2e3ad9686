// The signed-in person's access token, for what the browser sends to Supabase itself.
// The session lives in cookies that @supabase/ssr refreshes here on the
// server; the browser asks again shortly before the token expires.
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
	const user = await locals.getUser();
	const { data } = user ? await locals.supabase.auth.getSession() : { data: { session: null } };
	const session = data.session;
	// getUser() confirmed this same session's token (hooks.server.ts), so the token is the user's.
	// (Not session.user: on the server it is read from the cookie, and supabase-js warns about it.)
	if (!user || !session) {
		return Response.json({ error: 'signed_out' }, { status: 401, headers: { 'cache-control': 'no-store' } });
	}
	return Response.json(
		{ token: session.access_token, expiresAt: session.expires_at ?? 0, userId: user.id },
		{ headers: { 'cache-control': 'no-store' } }
	);
};
