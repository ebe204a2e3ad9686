// Each integration test file gets its own fresh local stack (see
// supabase/local/tests/helpers.ts, shared with the platform's own tests); here
// the clients carry the app's generated Database types.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import type { Stack } from '../../../supabase/local/stack';
import * as platform from '../../../supabase/local/tests/helpers';
import type { Database } from '../../../src/lib/supabase/database.types';

export type TestStack = Stack;

export const startTestStack = (): Promise<Stack> => platform.startTestStack();

export const anonClient = (stack: Stack): SupabaseClient<Database> => platform.anonClient<Database>(stack);

/** Creates a confirmed user through the real sign-up + emailed code flow and returns a signed-in client. */
export const signedInUser = (stack: Stack, name?: string) => platform.signedInUser<Database>(stack, name);

export type Person = Awaited<ReturnType<typeof signedInUser>>;

/** The secret-key client, as the app server's background jobs (push worker, drafts' compactor) use it. */
export const serviceClient = (stack: Stack): SupabaseClient<Database> =>
	createClient<Database>(stack.url, stack.secretKey, {
		auth: { persistSession: false, autoRefreshToken: false },
		realtime: { transport: ws as never }
	});
