// Test stacks for the platform's own tests and the app's integration tests
// (tests/integration/helpers/stack.ts re-exports these with the app's types):
// each test file gets its own fresh local stack on a free port, migrations
// applied, no demo seed. Real HTTP, real RLS, real WebSockets.
//
// The database is PGlite in memory, or, when TEST_DATABASE_URL names a real
// PostgreSQL server (scripts/lanes/postgres.ts sets it), a new database on it for
// each stack, copied from TEST_DATABASE_TEMPLATE when given (migrations already
// applied there) and dropped at stop.
import { randomBytes } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import { startStack, type Stack, type StackOptions } from '../stack';

export type TestStack = Stack;

/** Fresh keys and state in a temporary folder deleted at stop; PGlite in memory or a fresh Postgres database. */
export async function startTestStack(options: Partial<StackOptions> = {}): Promise<Stack> {
	const base = { port: 0, dataDir: null, seed: false, log: () => undefined, ...options };
	if (!process.env.TEST_DATABASE_URL || options.databaseUrl) return startStack(base);
	const database = await freshDatabase();
	try {
		const stack = await startStack({ ...base, databaseUrl: database.url });
		const stop = stack.stop.bind(stack);
		stack.stop = async () => {
			await stop();
			await database.drop();
		};
		return stack;
	} catch (error) {
		await database.drop();
		throw error;
	}
}

/**
 * The real-PostgreSQL lane: a new database on TEST_DATABASE_URL's server, copied from
 * TEST_DATABASE_TEMPLATE (migrations applied) unless `template` says otherwise (null: empty).
 */
export async function freshDatabase(
	options: { template?: string | null } = {}
): Promise<{ url: string; drop(): Promise<void> }> {
	const server = process.env.TEST_DATABASE_URL;
	if (!server) throw new Error('freshDatabase needs TEST_DATABASE_URL');
	const { default: postgres } = await import('postgres');
	const name = `sahakum_test_${randomBytes(6).toString('hex')}`;
	const template = options.template === undefined ? process.env.TEST_DATABASE_TEMPLATE : options.template;
	const admin = postgres(server, { max: 1, onnotice: () => undefined });
	try {
		await admin.unsafe(`create database ${name}${template ? ` template ${template}` : ''}`);
	} finally {
		await admin.end();
	}
	const url = new URL(server);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		async drop() {
			const again = postgres(server, { max: 1, onnotice: () => undefined });
			try {
				await again.unsafe(`drop database if exists ${name} with (force)`);
			} finally {
				await again.end();
			}
		}
	};
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
