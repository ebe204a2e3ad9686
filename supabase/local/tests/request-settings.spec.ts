// Each request's role and claims, now set in one statement (../request-settings.ts):
// read back inside an RPC and through RLS, as anon, as a signed-in person and with
// the secret key, and shown not to outlive their request.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, signedInUser, startTestStack, type Person, type TestStack } from './helpers';

let stack: TestStack;
let person: Person;

interface Settings {
	current_user: string;
	role: string;
	sub: string;
	claim_role: string;
	claims: { sub?: string; role?: string } | null;
	method: string;
	path: string;
	headers: Record<string, string> | null;
	response_status: string;
	storage_operation: string;
	uid: string | null;
}

beforeAll(async () => {
	stack = await startTestStack();
	// lite reads the functions once, at the first request: these exist before it.
	await stack.sql(`create function public.rs_settings() returns jsonb language sql stable as $$
		select jsonb_build_object(
			'current_user', current_user,
			'role', current_setting('role', true),
			'sub', current_setting('request.jwt.claim.sub', true),
			'claim_role', current_setting('request.jwt.claim.role', true),
			'claims', nullif(current_setting('request.jwt.claims', true), '')::jsonb,
			'method', current_setting('request.method', true),
			'path', current_setting('request.path', true),
			'headers', nullif(current_setting('request.headers', true), '')::jsonb,
			'response_status', current_setting('response.status', true),
			'storage_operation', current_setting('storage.operation', true),
			'uid', auth.uid())
	$$`);
	await stack.sql(`grant execute on function public.rs_settings() to anon, authenticated, service_role`);
	// A row only its owner may read: RLS sees the claims.
	await stack.sql(`create table public.rs_notes (owner uuid not null default auth.uid(), body text)`);
	await stack.sql(`alter table public.rs_notes enable row level security`);
	await stack.sql(`create policy rs_notes_own on public.rs_notes for all to authenticated
		using (owner = (select auth.uid())) with check (owner = (select auth.uid()))`);
	await stack.sql(`grant select, insert on public.rs_notes to authenticated`);
	person = await signedInUser(stack, 'Settings reader');
});
afterAll(async () => {
	await stack?.stop();
});

async function settingsOf(client: SupabaseClient): Promise<Settings> {
	const answer = await client.rpc('rs_settings');
	expect(answer.error).toBeNull();
	return answer.data as Settings;
}

describe('request settings in one statement', () => {
	it('a signed-in person: role, claims and the RPC request, as PostgREST sets them', async () => {
		const settings = await settingsOf(person.client);
		expect(settings.current_user).toBe('authenticated');
		expect(settings.role).toBe('authenticated');
		expect(settings.sub).toBe(person.id);
		expect(settings.claim_role).toBe('authenticated');
		expect(settings.claims?.sub).toBe(person.id);
		expect(settings.claims?.role).toBe('authenticated');
		expect(settings.uid).toBe(person.id);
		expect(settings.method).toBe('POST');
		expect(settings.path).toContain('rs_settings');
		expect(settings.headers).toBeTypeOf('object');
		expect(settings.response_status).toBe('');
	});

	it('anon gets the anon role and no person, even right after a signed-in request', async () => {
		await settingsOf(person.client);
		const settings = await settingsOf(anonClient(stack));
		expect(settings.current_user).toBe('anon');
		expect(settings.role).toBe('anon');
		expect(settings.sub).toBe('');
		expect(settings.uid).toBeNull();
	});

	it('the secret key runs as service_role', async () => {
		const admin = createClient(stack.url, stack.secretKey, {
			auth: { persistSession: false, autoRefreshToken: false },
			realtime: { transport: ws as never }
		});
		const settings = await settingsOf(admin);
		expect(settings.current_user).toBe('service_role');
		expect(settings.claim_role).toBe('service_role');
	});

	it('RLS sees the claims of each request, not of the one before', async () => {
		const other = await signedInUser(stack, 'Other reader');
		expect((await person.client.from('rs_notes').insert({ body: 'mine' })).error).toBeNull();
		const own = await person.client.from('rs_notes').select('body');
		expect(own.data).toEqual([{ body: 'mine' }]);
		const others = await other.client.from('rs_notes').select('body');
		expect(others.error).toBeNull();
		expect(others.data).toEqual([]);
		const anon = await anonClient(stack).from('rs_notes').select('body');
		expect(anon.data ?? []).toEqual([]);
	});
});
