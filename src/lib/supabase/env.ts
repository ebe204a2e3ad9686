// The app knows only these two values; the same build talks to hosted
// Supabase, self-hosted Supabase or the local stack.
import { env } from '$env/dynamic/public';

export function supabaseEnv(): { url: string; key: string } {
	const url = env.PUBLIC_SUPABASE_URL;
	const key = env.PUBLIC_SUPABASE_ANON_KEY;
	if (!url || !key) {
		throw new Error(
			'PUBLIC_SUPABASE_URL and PUBLIC_SUPABASE_ANON_KEY must be set (see README.md, "Configuration").'
		);
	}
	return { url, key };
}
