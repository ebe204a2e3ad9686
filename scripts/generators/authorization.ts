// `npm run gen:authorization`: writes supabase/AUTHORIZATION.md, who may do
// what, from the catalog of the database the migrations build (a fresh
// in-memory local stack, no seed, no request made), grouped by capability,
// each rule linked to the line of supabase/schemas/<capability>.sql that
// defines it. Never edit the output by hand;
// tests/integration/authorization-doc.spec.ts fails when it is stale.
//
// Every function in `public` must carry a one-line `comment on function`
// (the generator refuses to run otherwise): guards start with "Guard:",
// bookkeeping triggers with "Trigger:", functions the app calls with "RPC",
// everything else is a helper.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import prettier from 'prettier';
import { startStack } from '../../supabase/local/stack';
import { CAPABILITIES, splitStatements } from './schemas';

export const AUTHORIZATION_FILE = resolve(import.meta.dirname, '../../supabase/AUTHORIZATION.md');

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

/** Splits an expression at its top-level AND / OR, so a long one reads one condition per line. */
function conditions(expression: string): string[] {
	const parts: string[] = [];
	let depth = 0;
	let quoted = false;
	let start = 0;
	for (let i = 0; i < expression.length; i++) {
		const c = expression[i];
		if (c === "'") quoted = !quoted;
		if (quoted) continue;
		if (c === '(') depth++;
		if (c === ')') depth--;
		const rest = expression.slice(i);
		const joiner = depth === 0 ? /^ (AND|OR) /.exec(rest) : null;
		if (joiner) {
			parts.push(expression.slice(start, i).trim());
			start = i + 1;
		}
	}
	parts.push(expression.slice(start).trim());
	return parts;
}

/** A policy in words; long expressions go in `blocks`, one condition per line, shown below the line. */
type PolicyText = { text: string; blocks: string[] };

function policyLine(policy: Policy, where: (key: string) => string): PolicyText {
	const blocks: string[] = [];
	// Short: inline. Long: "(below)" here, the expression as a block under the line.
	const show = (expression: string) => {
		if (expression.length <= 70) return code(expression);
		blocks.push(conditions(expression).join('\n'));
		return blocks.length === 1 ? '(below)' : '(second block below)';
	};
	const using = policy.using ? readableExpression(policy.using) : null;
	const check = policy.check ? readableExpression(policy.check) : null;
	const who = `"${policy.name}" (${roleList(policy.roles)}${policy.permissive === 'PERMISSIVE' ? '' : ', restrictive'}; ${where(`policy:${policy.table}:${policy.name}`)})`;
	let text: string;
	switch (policy.cmd) {
		case 'SELECT':
		case 'DELETE':
			text = `${who}: rows where ${show(using ?? 'true')}`;
			break;
		case 'INSERT':
			text = `${who}: new rows where ${show(check ?? 'true')}`;
			break;
		default: {
			const after = check ?? using;
			const rows = `rows where ${show(using ?? 'true')}`;
			text =
				after === using
					? `${who}: ${rows}, and the changed row must still pass it`
					: `${who}: ${rows}; the changed row must pass ${show(after ?? 'true')}`;
		}
	}
	return { text: `${text}.`, blocks };
}

/** A list item with its expression blocks, indented under it. */
function item(depth: number, line: PolicyText | string): string[] {
	const pad = '  '.repeat(depth);
	const { text, blocks } = typeof line === 'string' ? { text: line, blocks: [] } : line;
	const out = [`${pad}- ${text}`];
	for (const block of blocks)
		out.push('', `${pad}  \`\`\`sql`, ...block.split('\n').map((l) => `${pad}  ${l}`), `${pad}  \`\`\``, '');
	return out;
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
	where: (key: string) => string,
	grants?: Record<string, string[]>
): string[] {
	const lines: string[] = [];
	for (const verb of VERBS) {
		const matching = policies.filter((p) => p.cmd === verb || p.cmd === 'ALL');
		const permissive = matching.filter((p) => p.permissive === 'PERMISSIVE');
		const restrictive = matching.filter((p) => p.permissive !== 'PERMISSIVE');
		const label = `**${verb.toLowerCase()}**`;
		if (permissive.length === 0) {
			lines.push(`- ${label}: nobody through the API (no policy).`);
		} else if (permissive.length === 1 && !restrictive.length) {
			const line = policyLine(permissive[0], where);
			lines.push(...item(0, { ...line, text: `${label}: ${line.text}` }));
		} else {
			lines.push(`- ${label}: any of`);
			for (const policy of permissive) lines.push(...item(1, policyLine(policy, where)));
			if (restrictive.length) {
				lines.push(`  - and always every one of (restrictive)`);
				for (const policy of restrictive) lines.push(...item(2, policyLine(policy, where)));
			}
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

function triggerLines(
	triggers: Trigger[],
	functions: Map<string, Fn>,
	where: (key: string) => string
): string[] {
	const lines: string[] = [];
	const describe = (trigger: Trigger) => {
		const when =
			/CREATE TRIGGER \S+ ((?:BEFORE|AFTER|INSTEAD OF) .+?) ON /.exec(trigger.definition)?.[1] ?? '';
		const fn = functions.get(trigger.function);
		const comment = (fn?.comment ?? '').replace(/^(Guard|Trigger)( \(\w+[^)]*\))?( on [\w.]+)?: /, '');
		return `- ${code(trigger.name)} (${where(`trigger:${trigger.table}:${trigger.name}`)}), ${when.toLowerCase()}, ${code(`${trigger.function}()`)}: ${markdownText(comment)}`;
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

/** Where each object is defined: `kind:name` → capability and line in supabase/schemas. */
export function schemaIndex(dir = resolve(import.meta.dirname, '../../supabase/schemas')) {
	const index = new Map<string, { capability: string; line: number }>();
	for (const capability of CAPABILITIES) {
		const text = readFileSync(resolve(dir, `${capability}.sql`), 'utf8');
		let offset = 0;
		for (const statement of splitStatements(text)) {
			const at = text.indexOf(statement, offset);
			offset = at + statement.length;
			const lines = statement.split('\n');
			const first = lines.findIndex((l) => l.trim() && !/^\s*--/.test(l));
			if (first < 0) continue;
			const line = text.slice(0, at).split('\n').length + first;
			const head = lines.slice(first).join(' ').replace(/\s+/g, ' ');
			const place = { capability, line };
			let m: RegExpExecArray | null;
			if ((m = /^create (?:or replace )?function (?:public|private)\.(\w+)\s*\(/i.exec(head)))
				index.set(`function:${m[1]}`, place);
			else if ((m = /^create policy "([^"]+)" on ([\w.]+)/i.exec(head)))
				index.set(`policy:${m[2]}:${m[1]}`, place);
			else if ((m = /^create trigger (\w+) .*? on ([\w.]+)/i.exec(head)))
				index.set(`trigger:${m[2]}:${m[1]}`, place);
			else if ((m = /^create table (?:public|private)\.(\w+)/i.exec(head))) index.set(`table:${m[1]}`, place);
		}
	}
	return index;
}

/** The whole of AUTHORIZATION.md, from the live catalog. */
export async function authorizationDoc(sql: Sql): Promise<string> {
	const index = schemaIndex();
	const where = (key: string) => {
		const place = index.get(key);
		if (!place) throw new Error(`${key} is in the catalog but in no supabase/schemas file`);
		return `[${place.capability}.sql:${place.line}](schemas/${place.capability}.sql#L${place.line})`;
	};
	const capabilityOf = (key: string) => index.get(key)?.capability ?? 'access';
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
	const buckets = await sql<{
		id: string;
		public: boolean;
		file_size_limit: number | null;
		allowed_mime_types: string[] | null;
	}>(`select id, public, file_size_limit, allowed_mime_types from storage.buckets order by id`);
	const rules = await sql<{ hub: string; key: string; mode: string; rule: string; capability: string }>(
		`select hub, key, mode, (rule::regproc)::text as rule, capability from private.access_rules order by hub, mode, key`
	);

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

	const usedBy = (fn: Fn) => {
		const calls = new RegExp(`\\b${fn.name}\\(`);
		const tablesUsing = new Set(
			policies
				.filter((p) => calls.test(`${p.using ?? ''} ${p.check ?? ''}`))
				.map((p) => p.table.replace(/^public\./, ''))
		);
		const callers = new Set(
			functions.filter((f) => f !== fn && calls.test(f.source)).map((f) => `${f.name}()`)
		);
		const registered = rules.filter((r) => r.rule.replace(/^public\./, '') === fn.name);
		return [
			tablesUsing.size ? `the policies on ${[...tablesUsing].join(', ')}` : '',
			callers.size ? [...callers].map(code).join(', ') : '',
			registered.length ? registered.map((r) => `the ${r.hub} hub (${r.key})`).join(', ') : ''
		]
			.filter(Boolean)
			.join('; ');
	};

	const titles: Record<string, string> = {
		access: 'Access hubs',
		profiles: 'Profiles',
		spaces: 'Spaces and members',
		threads: 'Threads and posts',
		realtime: 'Realtime',
		library: 'Libraries',
		dialogues: 'Dialogues with guests',
		drafts: 'Drafts',
		push: 'Push notifications',
		programme: 'Programme figures',
		auth: 'Sign-in throttling'
	};
	const anchor = (capability: string) => `${titles[capability]} (${capability}.sql)`;
	const slug = (text: string) =>
		text
			.toLowerCase()
			.replace(/[^\w\s-]/g, '')
			.trim()
			.replace(/\s+/g, '-');

	const out: string[] = [
		'# Who may do what',
		'',
		'<!-- Generated by `npm run gen:authorization` (scripts/generators/authorization.ts) from the database the',
		'migrations build. Do not edit: change supabase/schemas and add a migration, then run the script. -->',
		'',
		'All authorization is in Postgres: row-level security policies, security-definer helper functions',
		'and guard triggers. The current definition of each is in `supabase/schemas/<capability>.sql`',
		'(linked from every rule below); `supabase/migrations/` is the history deployed databases applied,',
		'and a test checks that both build the same database. This page is read from the live catalog.',
		'',
		'How to read it:',
		'',
		'- **Roles.** `anon` is a request without a signed-in user, `authenticated` a signed-in one. Inside',
		'  a space, roles are data (`space_members.role`): facilitator, leader, deputy, member. A',
		'  **moderator** is a facilitator, leader or deputy (`is_space_moderator`).',
		'- **Rules grow by addition.** Each capability owns its tables, policies, guards and functions. A',
		"  later capability widens access to an earlier one's table with its own permissive policy, narrows",
		'  it with a restrictive one, guards its own columns with its own trigger, and plugs into the access',
		'  hubs with a row in `private.access_rules` (first section). Under each table, every rule names the',
		'  file that defines it.',
		'- **Policies.** RLS is on for every table below; a verb with no policy is refused to everyone',
		'  through the API. Any one permissive policy is enough, and every restrictive one must hold too. An',
		'  update must match the policy on the row as it was ("rows where") and on the row as changed.',
		'- **Expressions** are the ones Postgres stores, shortened: `(select f())`, which asks Postgres to',
		'  call `f` once per statement, is shown as `f()`; type casts of literals and redundant parentheses',
		'  are left out; `auth.uid()` is the signed-in user. A long one is shown one condition per line.',
		'- **Guard triggers** run on every write whatever the policy allowed and refuse with a stable',
		'  error word (the app translates it) or overwrite columns the database owns. Several on one table',
		'  run in name order.',
		'- **Security definer** functions run as their owner and bypass RLS: they check the caller',
		'  themselves (their comments say how). Writes they make past the policies are listed per table.',
		'- **Table privileges.** The migrations revoke some verbs (they matter on hosted Supabase, for',
		'  anon), but the local stack (lite) grants ALL on public tables at its first request, as hosted',
		'  default privileges do for new tables: the policies and guards are the rules, never a revoke.',
		'',
		'## Contents',
		'',
		...CAPABILITIES.map((c) => `- [${anchor(c)}](#${slug(anchor(c))})`),
		''
	];

	const fnList = (list: Fn[], withUse: boolean) =>
		list.map((fn) => {
			const facts = [
				fn.security_definer ? 'runs as its owner' : 'runs as the caller',
				`anon may call it: ${yesNo(fn.anon)}`,
				`signed-in people: ${yesNo(fn.authenticated)}`
			];
			if (withUse) facts.push(`used by ${usedBy(fn) || 'no policy or function'}`);
			return `- ${code(`${fn.name}(${fn.args})`)} (${where(`function:${fn.name}`)}): ${markdownText(fn.comment!)} (${facts.join('; ')})`;
		});

	const platformTables = [
		[
			'realtime.messages',
			'Realtime asks these with `realtime.topic()` set to the channel: **select** to receive on a private channel, **insert** to send (broadcast, presence).'
		],
		['storage.objects', 'Storage asks these for every file read, upload and removal.']
	] as const;

	for (const capability of CAPABILITIES) {
		out.push(`## ${anchor(capability)}`, '');
		if (capability === 'access') {
			out.push(
				'`can_use_topic(topic)` (may I use this Realtime channel?), `can_read_thread(thread)` and',
				'`can_post_in_thread(thread)` are hubs: each capability adds its rule as a function and a row of',
				'`private.access_rules`, and no hub is rewritten for it. A topic `<prefix>:<uuid>` is decided by',
				"its prefix's function; a thread is readable by the members of its space (threads.sql), **or** by",
				'whom a widening rule admits, **and** only if every narrowing rule holds.',
				''
			);
			for (const rule of rules) {
				const name = rule.rule.replace(/^public\./, '');
				const what =
					rule.hub === 'topic'
						? `topic \`${rule.key}:<id>\``
						: `${rule.hub === 'read_thread' ? 'reading' : 'posting in'} a thread, ${rule.mode === 'widen' ? 'widened' : 'narrowed'} by ${rule.capability}`;
				out.push(
					`- ${what}: ${code(`${name}()`)} (${where(`function:${name}`)}): ${markdownText(byName.get(name)?.comment ?? '')}`
				);
			}
			out.push('');
		}
		const owned = tables.filter((t) => capabilityOf(`table:${t.name}`) === capability);
		for (const table of owned) {
			const qualified = `public.${table.name}`;
			out.push(`### ${table.name}`, '');
			if (!table.rls) out.push('**RLS is off on this table.**', '');
			out.push(
				...policySection(
					policies.filter((p) => p.table === qualified),
					writersOf(table.name),
					true,
					where,
					grants[table.name] ?? {}
				)
			);
			out.push(
				...triggerLines(
					triggers.filter((t) => t.table === qualified),
					byName,
					where
				)
			);
			out.push('');
		}
		// What this capability adds to others' tables (listed in full under those tables).
		const added = [
			...policies
				.filter((p) => capabilityOf(`policy:${p.table}:${p.name}`) === capability)
				.filter((p) => capabilityOf(`table:${p.table.replace(/^public\./, '')}`) !== capability)
				.map((p) => `policy "${p.name}" on ${code(p.table)} (${where(`policy:${p.table}:${p.name}`)})`),
			...triggers
				.filter((t) => capabilityOf(`trigger:${t.table}:${t.name}`) === capability)
				.filter((t) => capabilityOf(`table:${t.table.replace(/^public\./, '')}`) !== capability)
				.filter((t) => t.table.startsWith('public.'))
				.map((t) => `trigger ${code(t.name)} on ${code(t.table)} (${where(`trigger:${t.table}:${t.name}`)})`)
		];
		if (added.length) {
			out.push("### Added to other capabilities' tables", '');
			out.push(...added.map((line) => `- ${line}`), '');
		}
		for (const [table, intro] of platformTables) {
			const mine = policies.filter(
				(p) => p.table === table && capabilityOf(`policy:${p.table}:${p.name}`) === capability
			);
			if (!mine.length) continue;
			out.push(`### ${table}`, '', intro, '');
			if (table === 'storage.objects') {
				for (const bucket of buckets.filter((b) =>
					mine.some((p) => `${p.using} ${p.check}`.includes(`'${b.id}'`))
				)) {
					const mib = bucket.file_size_limit ? `${bucket.file_size_limit / 1024 / 1024} MiB` : 'no limit';
					out.push(
						`The \`${bucket.id}\` bucket is ${bucket.public ? '**public**' : 'private'}: files up to ${mib}, ` +
							`${bucket.allowed_mime_types?.length ?? 'any'} MIME types.`,
						''
					);
				}
			}
			out.push(...policySection(mine, () => [], false, where), '');
		}
		const elsewhere = triggers.filter(
			(t) =>
				!t.table.startsWith('public.') &&
				capabilityOf(`trigger:${t.table}:${t.name}`) === capability &&
				!platformTables.some(([table]) => table === t.table)
		);
		if (elsewhere.length) {
			out.push('### Triggers on platform tables', '');
			out.push(...triggerLines(elsewhere, byName, where).filter((line) => line.startsWith('- ')), '');
		}
		const mine = functions.filter((f) => capabilityOf(`function:${f.name}`) === capability && !f.is_trigger);
		const rpcs = mine.filter((f) => f.comment!.startsWith('RPC'));
		const helpers = mine.filter((f) => !rpcs.includes(f));
		if (rpcs.length) {
			out.push(
				'### RPCs',
				'',
				'Called by the app with `rpc()`; one that runs as the caller is held to the policies.',
				''
			);
			out.push(...fnList(rpcs, false), '');
		}
		if (helpers.length) {
			out.push(
				'### Helper functions',
				'',
				'Called by the policies, guards, hubs and RPCs; those the API roles may call can also be called with `rpc()`.',
				''
			);
			out.push(...fnList(helpers, true), '');
		}
	}

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
