// The one module allowed to delete an auth account, and all it does. Deleting
// an auth user needs the secret key (hosted Supabase's admin API, and the local
// stack's stand-in for it: supabase/local/admin-users.ts); no person's request
// is otherwise served with that key. It deletes only an account whose owner
// confirmed it herself, with her password, in the last 15 minutes: the
// delete-account action calls erase_my_account() with her own session first,
// which records that (confirmed_account_deletion() reads it; only the secret
// key may ask). Everything of hers in the app's tables goes with the account
// (cascade or set null), and every session of hers ends with it.
import { createClient } from '@supabase/supabase-js';
import ws from 'ws';
import type { Database } from '$lib/supabase/database.types';

export interface DeletionConfig {
	supabaseUrl: string;
	secretKey: string;
}

export function deletionConfig(env: Record<string, string | undefined>): DeletionConfig | null {
	if (!env.PUBLIC_SUPABASE_URL || !env.SUPABASE_SECRET_KEY) return null;
	return { supabaseUrl: env.PUBLIC_SUPABASE_URL, secretKey: env.SUPABASE_SECRET_KEY };
}

/** Deletes the auth account `userId` if its owner confirmed; 'not_confirmed' or 'failed' otherwise. */
export async function deleteConfirmedAccount(
	config: DeletionConfig,
	userId: string
): Promise<'deleted' | 'not_confirmed' | 'failed'> {
	const admin = createClient<Database>(config.supabaseUrl, config.secretKey, {
		auth: { persistSession: false, autoRefreshToken: false },
		realtime: { transport: ws as never }
	});
	const confirmed = await admin.rpc('confirmed_account_deletion', { p_user: userId });
	if (confirmed.error) return 'failed';
	if (!confirmed.data) return 'not_confirmed';
	const { error } = await admin.auth.admin.deleteUser(userId);
	if (error) console.log(`[account] deleting an account failed: ${error.message}`);
	return error ? 'failed' : 'deleted';
}
