// The migrations' table privileges survive the stack's first requests (../rls-grants.ts):
// lite granted ALL on every table in `public` to the API roles at its first request,
// which undid each `revoke` of ours. Tried as anon and as a signed-in person.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, signedInUser, startTestStack, type TestStack } from './helpers';

let stack: TestStack;

/** Every privilege the API roles hold on public's tables and sequences, one line each. */
async function publicPrivileges(): Promise<string[]> {
	const rows = await stack.sql<{ line: string }>(`
		select format('%s %s %s', grantee, privilege_type, table_name) as line
		from information_schema.role_table_grants
		where table_schema = 'public' and grantee in ('anon', 'authenticated', 'service_role')
		union all
		select format('%s %s sequence %s', r.rolname, p.privilege, c.relname)
		from pg_class c
		join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
		cross join (values ('anon'), ('authenticated'), ('service_role')) as r(rolname)
		cross join (values ('USAGE'), ('SELECT'), ('UPDATE')) as p(privilege)
		where c.relkind = 'S' and has_sequence_privilege(r.rolname, c.oid, p.privilege)
		order by 1`);
	return rows.map((row) => row.line);
}

beforeAll(async () => {
	stack = await startTestStack();
});
afterAll(async () => {
	await stack?.stop();
});

describe("the project's table privileges on the local stack", () => {
	it('are the same after the first requests as the migrations left them', async () => {
		const before = await publicPrivileges();
		// The migrations revoke these; the check below would be empty without them.
		expect(before).not.toContain('anon SELECT push_subscriptions');
		expect(before).not.toContain('authenticated UPDATE push_subscriptions');
		expect(before).toContain('authenticated SELECT push_subscriptions');

		// The first requests after a start, side by side, as anon and signed in: the signed-in
		// reads succeed, anon's are refused by the migrations' revoke (not emptied by RLS behind
		// a grant), and none fails on the way (lite's grants side by side were a 500).
		const person = await signedInUser(stack, 'Privilege prober');
		const anon = anonClient(stack);
		const answers = await Promise.all(
			Array.from({ length: 8 }, (_, i) => (i % 2 ? anon : person.client).from('spaces').select('id').limit(1))
		);
		expect(answers.map((answer) => answer.error?.code ?? 'ok')).toEqual(
			Array.from({ length: 8 }, (_, i) => (i % 2 ? '42501' : 'ok'))
		);

		expect(await publicPrivileges()).toEqual(before);
	});

	it('refuse anon reading push subscriptions, and a signed-in person changing one', async () => {
		const anonRead = await anonClient(stack).from('push_subscriptions').select('*');
		expect(anonRead.error?.code).toBe('42501');

		const person = await signedInUser(stack, 'Subscription editor');
		const update = await person.client
			.from('push_subscriptions')
			.update({ endpoint: 'https://push.example.org/taken' })
			.eq('user_id', person.id);
		expect(update.error?.code).toBe('42501');
	});

	it("still let the API roles use lite's own schemas (storage)", async () => {
		const [row] = await stack.sql<{ can: boolean }>(
			`select has_table_privilege('authenticated', 'storage.objects', 'SELECT') as can`
		);
		expect(row.can).toBe(true);
		const person = await signedInUser(stack, 'Storage reader');
		const listed = await person.client.storage.from('library').list();
		expect(listed.error).toBeNull();
	});
});
