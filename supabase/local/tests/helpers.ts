// Test stacks for the platform's own tests and the app's integration tests
// (tests/integration/helpers/stack.ts re-exports these with the app's types):
// each test file gets its own fresh local stack on a free port, migrations
// applied, no demo seed. Real HTTP, real RLS, real WebSockets.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import { startStack, type Stack, type StackOptions } from '../stack';

export type TestStack = Stack;

/** PGlite in memory, fresh keys and state in a temporary folder deleted at stop. */
export async function startTestStack(options: Partial<StackOptions> = {}): Promise<Stack> {
	return startStack({ port: 0, dataDir: null, seed: false, log: () => undefined, ...options });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- callers pick their generated Database type
export function anonClient<Db = any>(stack: Stack): SupabaseClient<Db> {
	return createClient<Db>(stack.url, stack.publishableKey, {
		auth: { persistSession: false, autoRefreshToken: false },
		realtime: { transport: ws as never }
	});
}

let counter = 0;

/** Creates a confirmed user through the real sign-up + emailed code flow and returns a signed-in client. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as anonClient
export async function signedInUser<Db = any>(
	stack: Stack,
	name = 'Test person'
): Promise<{ client: SupabaseClient<Db>; id: string; email: string }> {
	const email = `user${Date.now()}${++counter}@example.org`;
	const password = 'correct horse battery';
	const client = anonClient<Db>(stack);
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

export interface Person {
	client: SupabaseClient;
	id: string;
	email: string;
}
