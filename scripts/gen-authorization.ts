// `npm run gen:authorization`: writes supabase/AUTHORIZATION.md, who may do
// what, from the catalog of the database the migrations build (a fresh
// in-memory local stack, no seed, no request made). Never edit the output by
// hand; tests/integration/authorization-doc.spec.ts fails when it is stale.
//
// Every function in `public` must carry a one-line `comment on function`
// (the generator refuses to run otherwise): guards start with "Guard:",
// bookkeeping triggers with "Trigger:", functions the app calls with "RPC",
// everything else is a helper.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import prettier from 'prettier';
import { startStack } from '../supabase/local/stack';

export const AUTHORIZATION_FILE = resolve(import.meta.dirname, '../supabase/AUTHORIZATION.md');

type Sql = <T = Record<string, unknown>>(query: string, params?: unknown[]) => Promise<T[]>;

interface Policy {
	table: string;
	name: string;
	cmd: 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'ALL';
	permissive: string;
	roles: string[];
	using: string | null;
	check: string | null;
}
interface Fn {
	name: string;
	signature: string;
	args: string;
	security_definer: boolean;
	is_trigger: boolean;
	comment: string | null;
	anon: boolean;
	authenticated: boolean;
	source: string;
}
interface Trigger {
	table: string;
	name: string;
	definition: string;
	function: string;
}

// ---------------------------------------------------------------------------
// Policy expressions in readable form.

type Item = string | { call: boolean; items: Item[] };

function parseGroups(text: string): Item[] {
	let i = 0;
	const read = (): Item[] => {
		const items: Item[] = [];
		let buffer = '';
		while (i < text.length) {
			const c = text[i];
			if (c === "'") {
				let j = i + 1;
				while (j < text.length && !(text[j] === "'" && text[j + 1] !== "'")) j += text[j] === "'" ? 2 : 1;
				buffer += text.slice(i, j + 1);
				i = j + 1;
			} else if (c === '(') {
				const call = /[\w.\]]$/.test(buffer);
				if (buffer) items.push(buffer);
				buffer = '';
				i++;
				items.push({ call, items: read() });
			} else if (c === ')') {
				i++;
				break;
			} else {
				buffer += c;
				i++;
			}
		}
		if (buffer) items.push(buffer);
		return items;
	};
	return read();
}

function topLevelText(items: Item[]): string {
	return items.map((item) => (typeof item === 'string' ? item : '(…)')).join('');
}

/** Parentheses Postgres adds around comparisons and NOT are dropped; the ones that group AND/OR stay. */
function renderGroups(items: Item[]): string {
	let out = '';
	for (const item of items) {
		if (typeof item === 'string') {
			out += item;
			continue;
		}
		const inner = renderGroups(item.items);
		const top = topLevelText(item.items);
		const keep =
			item.call ||
			/\b(AND|OR)\b/.test(top) ||
			/[+*/|-]/.test(top.replace(/'[^']*'/g, '')) ||
			/^\s*SELECT\b/i.test(top) ||
			/\b(IN|ANY|ALL|EXISTS)\s*$/i.test(out) ||
			inner.trim() === '';
		out += keep ? `(${inner})` : inner;
	}
	return out;
}

export function readableExpression(expression: string): string {
	let text = expression.replace(/\s+/g, ' ').trim();
	// (select f()) is how policies ask Postgres to call f once per statement.
	text = text.replace(/\( SELECT ([\w.]+\([^()]*\)) AS \w+\)/g, '$1');
	text = text.replace(/'((?:[^']|'')*)'::[\w.]+(\[\])?/g, "'$1'");
	text = text.replace(/ = ANY \(ARRAY\[([^\]]*)\]\)/g, ' IN ($1)');
	text = text.replace(/ ~~ /g, ' LIKE ');
	text = text.replace(/\( SELECT /g, '(SELECT ');
	let previous = '';
	while (previous !== text) {
		previous = text;
		text = renderGroups(parseGroups(text)).replace(/\s+/g, ' ').trim();
	}
	// One pair around the whole expression says nothing.
	const whole = parseGroups(text);
	if (whole.length === 1 && typeof whole[0] !== 'string' && !whole[0].call) {
		text = renderGroups(whole[0].items).trim();
	}
	return text;
}

// ---------------------------------------------------------------------------

const code = (text: string) => '`' + text.replace(/`/g, "'") + '`';
/** Comment text as Markdown shows it literally (an underscore inside a word is no emphasis). */
const markdownText = (text: string) => text.replace(/([\\`*<>])/g, '\\$1');
const roleList = (roles: string[]) => roles.map((r) => (r === 'public' ? 'everyone (public)' : r)).join(', ');

function policyLine(policy: Policy): string {
	const using = policy.using ? readableExpression(policy.using) : null;
	const check = policy.check ? readableExpression(policy.check) : null;
	const who = `"${policy.name}" (${roleList(policy.roles)}${policy.permissive === 'PERMISSIVE' ? '' : ', restrictive'})`;
	switch (policy.cmd) {
		case 'SELECT':
			return `${who}: rows where ${code(using ?? 'true')}`;
		case 'INSERT':
			return `${who}: new rows where ${code(check ?? 'true')}`;
		case 'DELETE':
			return `${who}: rows where ${code(using ?? 'true')}`;
		default: {
			const after = check ?? using;
			const rows = `rows where ${code(using ?? 'true')}`;
			return after === using
				? `${who}: ${rows}, and the changed row must still pass it`
				: `${who}: ${rows}; the changed row must pass ${code(after ?? 'true')}`;
		}
	}
}

const VERBS = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const;
const WRITES: Record<string, RegExp> = {
	INSERT: /\binsert\s+into\s+public\.(\w+)/gi,
	UPDATE: /\bupdate\s+public\.(\w+)/gi,
	DELETE: /\bdelete\s+from\s+public\.(\w+)/gi
};

function policySection(
	policies: Policy[],
	writers: (verb: string) => string[],
	anonNote: boolean,
	grants?: Record<string, string[]>
): string[] {
	const lines: string[] = [];
	for (const verb of VERBS) {
		const matching = policies.filter((p) => p.cmd === verb || p.cmd === 'ALL');
		const label = `**${verb.toLowerCase()}**`;
		if (matching.length === 0) {
			lines.push(`- ${label}: nobody through the API (no policy).`);
		} else if (matching.length === 1) {
			lines.push(`- ${label}: ${policyLine(matching[0])}.`);
		} else {
			lines.push(`- ${label}: any of`);
			for (const policy of matching) lines.push(`  - ${policyLine(policy)}.`);
		}
		const by = writers(verb);
		if (by.length) {
			lines.push(
				`  - Also done, past the policies, by ${by.map((f) => code(f)).join(', ')} (security definer).`
			);
		}
	}
	if (anonNote && !policies.some((p) => p.roles.includes('anon') || p.roles.includes('public'))) {
		lines.push('- Not signed in (anon): nothing; no policy names anon.');
	}
	if (grants) {
		const verbs = (role: string) => {
			const granted = (grants[role] ?? []).filter((v) => (VERBS as readonly string[]).includes(v));
			return granted.length ? granted.map((v) => v.toLowerCase()).join(', ') : 'none';
		};
		lines.push(
			`- Table privileges the migrations leave: anon: ${verbs('anon')}; authenticated: ${verbs('authenticated')}.`
		);
	}
	return lines;
}

function triggerLines(triggers: Trigger[], functions: Map<string, Fn>): string[] {
	const lines: string[] = [];
	const describe = (trigger: Trigger) => {
		const when =
			/CREATE TRIGGER \S+ ((?:BEFORE|AFTER|INSTEAD OF) .+?) ON /.exec(trigger.definition)?.[1] ?? '';
		const fn = functions.get(trigger.function);
		const comment = (fn?.comment ?? '').replace(/^(Guard|Trigger)( on [\w.]+)?: /, '');
		return `- ${code(trigger.name)}, ${when.toLowerCase()}, ${code(`${trigger.function}()`)}: ${markdownText(comment)}`;
	};
	const guards = triggers.filter((t) => functions.get(t.function)?.comment?.startsWith('Guard'));
	const others = triggers.filter((t) => !guards.includes(t));
	if (guards.length) {
		lines.push('', 'Guard triggers (what they refuse or overwrite, whatever the policies allowed):', '');
		lines.push(...guards.map(describe));
	}
	if (others.length) {
		lines.push('', 'Other triggers:', '');
		lines.push(...others.map(describe));
	}
	return lines;
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

/** The whole of AUTHORIZATION.md, from the live catalog. */
export async function authorizationDoc(sql: Sql): Promise<string> {
	const tables = await sql<{ name: string; rls: boolean }>(
		`select c.relname as name, c.relrowsecurity as rls from pg_class c
		  where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' order by c.oid`
	);
	const policies = (
		await sql<Omit<Policy, 'roles'> & { roles: string }>(
			`select schemaname || '.' || tablename as table, policyname as name, cmd, permissive,
			        array_to_string(roles, ',') as roles, qual as using, with_check as check
			   from pg_policies
			  where schemaname = 'public' or (schemaname, tablename) in (('realtime', 'messages'), ('storage', 'objects'))
			  order by 1, 2`
		)
	).map((p) => ({ ...p, roles: p.roles.split(',') }));
	const functions = await sql<Fn>(
		`select p.proname as name, p.oid::regprocedure::text as signature,
		        pg_get_function_identity_arguments(p.oid) as args, p.prosecdef as security_definer,
		        p.prorettype = 'trigger'::regtype as is_trigger, obj_description(p.oid, 'pg_proc') as comment,
		        has_function_privilege('anon', p.oid, 'execute') as anon,
		        has_function_privilege('authenticated', p.oid, 'execute') as authenticated, p.prosrc as source
		   from pg_proc p where p.pronamespace = 'public'::regnamespace order by p.proname, p.oid`
	);
	const triggers = await sql<Trigger>(
		`select tc.relnamespace::regnamespace::text || '.' || tc.relname as table, t.tgname as name,
		        pg_get_triggerdef(t.oid) as definition, p.proname as function
		   from pg_trigger t join pg_class tc on tc.oid = t.tgrelid join pg_proc p on p.oid = t.tgfoid
		  where not t.tgisinternal and (tc.relnamespace = 'public'::regnamespace or p.pronamespace = 'public'::regnamespace)
		  order by 1, 2`
	);
	const grantRows = await sql<{ table: string; grantee: string; privilege: string }>(
		`select table_name as table, grantee, privilege_type as privilege from information_schema.role_table_grants
		  where table_schema = 'public' and grantee in ('anon', 'authenticated') order by 1, 2, 3`
	);
	const [bucket] = await sql<{
		public: boolean;
		file_size_limit: number | null;
		allowed_mime_types: string[] | null;
	}>(`select public, file_size_limit, allowed_mime_types from storage.buckets where id = 'library'`);

	const missing = functions.filter((f) => !f.comment?.trim());
	if (missing.length) {
		throw new Error(
			`every public function needs a one-line "comment on function": ${missing.map((f) => f.signature).join(', ')}`
		);
	}
	const byName = new Map(functions.map((f) => [f.name, f]));
	const grants: Record<string, Record<string, string[]>> = {};
	for (const row of grantRows) ((grants[row.table] ??= {})[row.grantee] ??= []).push(row.privilege);

	// Security-definer functions bypass RLS: say which tables they write.
	const writersOf = (table: string) => (verb: string) =>
		functions
			.filter(
				(f) => f.security_definer && [...f.source.matchAll(WRITES[verb] ?? /$^/g)].some((m) => m[1] === table)
			)
			.map((f) => `${f.name}()`);

	const rpcs = functions.filter((f) => !f.is_trigger && f.comment!.startsWith('RPC'));
	const helpers = functions.filter((f) => !f.is_trigger && !rpcs.includes(f));
	const usedBy = (fn: Fn) => {
		const calls = new RegExp(`\\b${fn.name}\\(`);
		const tables = new Set(
			policies
				.filter((p) => calls.test(`${p.using ?? ''} ${p.check ?? ''}`))
				.map((p) => p.table.replace(/^public\./, ''))
		);
		const callers = new Set(
			functions.filter((f) => f !== fn && calls.test(f.source)).map((f) => `${f.name}()`)
		);
		return [
			tables.size ? `the policies on ${[...tables].join(', ')}` : '',
			callers.size ? [...callers].map(code).join(', ') : ''
		]
			.filter(Boolean)
			.join('; ');
	};

	const out: string[] = [
		'# Who may do what',
		'',
		'<!-- Generated by `npm run gen:authorization` (scripts/gen-authorization.ts) from the database the',
		'migrations build. Do not edit: change the migrations, then run the script. -->',
		'',
		'All authorization is in Postgres: row-level security policies, security-definer helper functions',
		'and guard triggers, written in `supabase/migrations/`. This page is read from the live catalog.',
		'',
		'How to read it:',
		'',
		'- **Roles.** `anon` is a request without a signed-in user, `authenticated` a signed-in one. Inside',
		'  a space, roles are data (`space_members.role`): facilitator, leader, deputy, member. A',
		'  **moderator** is a facilitator, leader or deputy (`is_space_moderator`).',
		'- **Policies.** RLS is on for every table below; a verb with no policy is refused to everyone',
		'  through the API. Where several policies apply, any one of them is enough. An update must match',
		'  the policy on the row as it was ("rows where") and on the row as changed.',
		'- **Expressions** are the ones Postgres stores, shortened: `(select f())`, which asks Postgres to',
		'  call `f` once per statement, is shown as `f()`; type casts of literals and redundant parentheses',
		'  are left out; `auth.uid()` is the signed-in user.',
		'- **Guard triggers** run on every write whatever the policy allowed and refuse with a stable',
		'  error word (the app translates it) or overwrite columns the database owns.',
		'- **Security definer** functions run as their owner and bypass RLS: they check the caller',
		'  themselves (their comments say how). Writes they make past the policies are listed per table.',
		'- **Table privileges.** The migrations revoke some verbs (they matter on hosted Supabase, for',
		'  anon), but the local stack (lite) grants ALL on public tables at its first request, as hosted',
		'  default privileges do for new tables: the policies and guards are the rules, never a revoke.',
		'',
		'## Tables',
		''
	];

	for (const table of tables) {
		const qualified = `public.${table.name}`;
		out.push(`### ${table.name}`, '');
		if (!table.rls) out.push('**RLS is off on this table.**', '');
		out.push(
			...policySection(
				policies.filter((p) => p.table === qualified),
				writersOf(table.name),
				true,
				grants[table.name] ?? {}
			)
		);
		out.push(
			...triggerLines(
				triggers.filter((t) => t.table === qualified),
				byName
			)
		);
		out.push('');
	}

	const elsewhere = triggers.filter(
		(t) => !t.table.startsWith('public.') && t.table !== 'realtime.messages' && t.table !== 'storage.objects'
	);
	if (elsewhere.length) {
		out.push('### Triggers on platform tables', '');
		out.push(
			...triggerLines(elsewhere, byName)
				.filter((line) => line.startsWith('- '))
				.map((l) => `${l}`)
		);
		out.push('');
	}

	out.push(
		'## Realtime: realtime.messages',
		'',
		'Realtime asks these policies with `realtime.topic()` set to the channel: **select** to receive on',
		'a private channel, **insert** to send (broadcast, presence).',
		''
	);
	out.push(
		...policySection(
			policies.filter((p) => p.table === 'realtime.messages'),
			() => [],
			true
		)
	);
	out.push('');

	out.push('## Storage: storage.objects', '');
	if (bucket) {
		const mib = bucket.file_size_limit ? `${bucket.file_size_limit / 1024 / 1024} MiB` : 'no limit';
		out.push(
			`The \`library\` bucket is ${bucket.public ? '**public**' : 'private'}: files up to ${mib}, ` +
				`${bucket.allowed_mime_types?.length ?? 'any'} MIME types (${(bucket.allowed_mime_types ?? []).join(', ')}).`,
			''
		);
	}
	out.push(
		...policySection(
			policies.filter((p) => p.table === 'storage.objects'),
			() => [],
			true
		)
	);
	out.push('');

	const fnList = (list: Fn[], withUse: boolean) =>
		list.map((fn) => {
			const facts = [
				fn.security_definer ? 'runs as its owner' : 'runs as the caller',
				`anon may call it: ${yesNo(fn.anon)}`,
				`signed-in people: ${yesNo(fn.authenticated)}`
			];
			if (withUse) facts.push(`used by ${usedBy(fn) || 'no policy or function'}`);
			return `- ${code(`${fn.name}(${fn.args})`)}: ${markdownText(fn.comment!)} (${facts.join('; ')})`;
		});

	out.push(
		'## RPCs',
		'',
		'Functions the app calls with `rpc()`. One that runs as the caller is held to the policies above.',
		''
	);
	out.push(...fnList(rpcs, false), '');
	out.push(
		'## Helper functions',
		'',
		'Called by the policies, guards and RPCs. Those the API roles may call can also be called directly',
		'with `rpc()`.',
		''
	);
	out.push(...fnList(helpers, true), '');

	const options = (await prettier.resolveConfig(AUTHORIZATION_FILE)) ?? {};
	return prettier.format(out.join('\n'), { ...options, parser: 'markdown' });
}

async function main() {
	const stack = await startStack({ port: 0, dataDir: null, seed: false, log: () => undefined });
	try {
		writeFileSync(AUTHORIZATION_FILE, await authorizationDoc(stack.sql));
		console.log(`wrote ${AUTHORIZATION_FILE}`);
	} finally {
		await stack.stop();
	}
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
