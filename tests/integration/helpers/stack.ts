// Each integration test file gets its own fresh local stack: PGlite in memory,
// a free port, migrations applied, no demo seed. Real HTTP, real RLS.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import { startStack, type Stack } from '../../../supabase/local/stack';
import type { Database } from '../../../src/lib/supabase/database.types';

export type TestStack = Stack;

export async function startTestStack(): Promise<Stack> {
	return startStack({ port: 0, dataDir: null, seed: false, log: () => undefined });
}

export function anonClient(stack: Stack): SupabaseClient<Database> {
	return createClient<Database>(stack.url, stack.publishableKey, {
		auth: { persistSession: false, autoRefreshToken: false },
		realtime: { transport: ws as never }
	});
}

let counter = 0;

/** Creates a confirmed user through the real sign-up + emailed code flow and returns a signed-in client. */
export async function signedInUser(
	stack: Stack,
	name = 'Test person'
): Promise<{ client: SupabaseClient<Database>; id: string; email: string }> {
	const email = `user${Date.now()}${++counter}@example.org`;
	const password = 'correct horse battery';
	const client = anonClient(stack);
	const signUp = await client.auth.signUp({
		email,
		password,
		options: { data: { display_name: name } }
	});
	if (signUp.error) throw signUp.error;
	const code = stack.mailbox.list(email)[0]?.code;
	if (!code) throw new Error(`no confirmation code mailed to ${email}`);
	const verified = await client.auth.verifyOtp({ email, token: code, type: 'signup' });
	if (verified.error || !verified.data.user) throw verified.error ?? new Error('no user');
	return { client, id: verified.data.user.id, email };
}

export type Person = Awaited<ReturnType<typeof signedInUser>>;
