// `npm run schemas:from-migrations`: writes supabase/schemas/<capability>.sql,
// the current definition of every object, from supabase/migrations (which
// stay append-only: a deployed database has applied them).
//
// Each migration statement (with the comments above it) is an item. A later
// `create or replace function` replaces an earlier definition's text where it
// stood; a `drop` removes the object with its comment and grants; a policy
// dropped and created again appears where it was created last. `comment on`
// and `grant`/`revoke` statements are attached to their object (a grant naming
// several objects is split, one per object). Which capability's file an item
// goes to: the capability of the migration that first created it (MIGRATIONS
// below), or the last `-- capability: <name>` line above it in its migration.
//
// The schema files were written by this script once (2026-12-05) and have
// been kept by hand since, with each new migration: running it again rewrites
// them from the migrations and loses comments edited in the schema files.
// tests/integration/schemas.spec.ts checks that both build the same catalog.
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The schema files, in the order they are applied (supabase/config.toml lists the same). */
export const CAPABILITIES = [
	'access',
	'profiles',
	'spaces',
	'threads',
	'realtime',
	'library',
	'dialogues',
	'drafts',
	'programme',
	'meetings',
	'push',
	'auth',
	'moderation',
	'concerns',
	'account'
] as const;
type Capability = (typeof CAPABILITIES)[number];

/** Each migration's capability (by the name after its timestamp). */
const MIGRATIONS: Record<string, Capability> = {
	profiles: 'profiles',
	spaces: 'spaces',
	threads: 'threads',
	realtime_channels: 'realtime',
	library: 'library',
	dialogues: 'dialogues',
	drafts: 'drafts',
	push: 'push',
	reading_pages: 'threads',
	concurrent_replays: 'threads',
	open_thread: 'threads',
	draft_integrity: 'drafts',
	auth_throttle: 'auth',
	push_limits: 'push',
	integrity_fixes: 'threads',
	additive_rules: 'access',
	phone_sign_in: 'auth',
	dialogue_opening: 'dialogues',
	notifications_by_default: 'push',
	meetings: 'meetings',
	programme: 'programme',
	safety: 'moderation',
	meeting_figures: 'meetings',
	meeting_actions: 'meetings',
	library_saves: 'library',
	dialogue_page: 'dialogues',
	thread_page: 'threads',
	header_name: 'profiles',
	draft_rebase: 'drafts',
	thread_in_space: 'threads',
	space_home: 'threads',
	my_spaces_page: 'threads',
	library_page: 'library',
	library_resource_page: 'library',
	actions_page: 'dialogues',
	draft_page: 'drafts',
	dialogues_cached_plans: 'dialogues',
	spaces_cached_plans: 'spaces',
	meetings_cached_plans: 'meetings',
	threads_cached_plans: 'threads',
	library_cached_plans: 'library',
	moderation_cached_plans: 'moderation',
	draft_hot_updates: 'drafts'
};

/** Migrations that change several capabilities: their opening comment tells a change, not a definition, and is not copied. */
const CHANGES = new Set([
	'concurrent_replays',
	'draft_integrity',
	'push_limits',
	'integrity_fixes',
	'additive_rules',
	'dialogue_opening'
]);

/** Objects first created in a migration of several capabilities that landed before `-- capability:` lines. */
const OBJECTS: Record<string, Capability> = {
	'function:public.my_display_name()': 'profiles',
	'function:public.space_for_member(uuid)': 'spaces',
	'function:public.thread_attachments(uuid)': 'library',
	'function:public.library_rights(uuid,uuid)': 'library',
	'schema:private': 'access'
};

type Item = {
	key: string | null;
	capability: Capability;
	/** The comment lines right above the statement. */
	lead: string;
	/** The statement itself. */
	code: string;
	comment?: string;
	privileges: string[];
};

/** A statement's own comment (the last paragraph of comment lines above it), the paragraphs before it, and its code. */
function pieces(statement: string): { before: string; lead: string; code: string } {
	const lines = statement
		.replace(/^\s*\n+/, '')
		.trimEnd()
		.split('\n');
	const start = lines.findIndex((line) => line.trim() && !/^\s*--/.test(line));
	const above = lines.slice(0, start);
	const lastBlank = above.map((line) => !line.trim()).lastIndexOf(true);
	return {
		before: above
			.slice(0, lastBlank + 1)
			.join('\n')
			.trim(),
		lead: above
			.slice(lastBlank + 1)
			.join('\n')
			.trim(),
		code: lines.slice(start).join('\n')
	};
}

/** Drops a grant or revoke that is repeated later with nothing opposite in between (migrations repeated some). */
function withoutRepeats(statements: string[]): string[] {
	const verb = (s: string) => s.split(' ')[0].toLowerCase();
	const roles = (s: string) => /(?:to|from) ([\w, ]+);$/i.exec(s)?.[1].split(/,\s*/) ?? [];
	const undoes = (a: string, b: string) => verb(a) !== verb(b) && roles(a).some((r) => roles(b).includes(r));
	return statements.filter((statement, i) => {
		const later = statements.indexOf(statement, i + 1);
		return later < 0 || statements.slice(i + 1, later).some((s) => undoes(s, statement));
	});
}

// ---------------------------------------------------------------------------
// Splitting SQL into statements (quotes, dollar quotes and comments respected).

export function splitStatements(sql: string): string[] {
	const out: string[] = [];
	let start = 0;
	let i = 0;
	while (i < sql.length) {
		const c = sql[i];
		if (c === '-' && sql[i + 1] === '-') {
			const end = sql.indexOf('\n', i);
			i = end < 0 ? sql.length : end + 1;
		} else if (c === '/' && sql[i + 1] === '*') {
			const end = sql.indexOf('*/', i + 2);
			i = end < 0 ? sql.length : end + 2;
		} else if (c === "'" || c === '"') {
			i++;
			while (i < sql.length && !(sql[i] === c && sql[i + 1] !== c)) i += sql[i] === c ? 2 : 1;
			i++;
		} else if (c === '$') {
			const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))?.[0];
			if (tag) {
				const end = sql.indexOf(tag, i + tag.length);
				i = end < 0 ? sql.length : end + tag.length;
			} else i++;
		} else if (c === ';') {
			out.push(sql.slice(start, i + 1));
			start = i + 1;
			i++;
		} else i++;
	}
	if (sql.slice(start).trim()) out.push(sql.slice(start));
	return out;
}

/** The statement without its comments, whitespace collapsed, lower case outside quotes is not needed here. */
const bodyOf = (statement: string) =>
	statement
		.replace(/\/\*[\s\S]*?\*\//g, ' ')
		.split('\n')
		.filter((line) => !/^\s*--/.test(line))
		.join('\n')
		.trim();

/** Splits a list at commas outside parentheses. */
function topLevel(list: string): string[] {
	const parts: string[] = [];
	let depth = 0;
	let current = '';
	for (const c of list) {
		if (c === '(') depth++;
		if (c === ')') depth--;
		if (c === ',' && depth === 0) {
			parts.push(current);
			current = '';
		} else current += c;
	}
	if (current.trim()) parts.push(current);
	return parts.map((p) => p.trim());
}

const TYPE_ALIASES: Record<string, string> = {
	int: 'integer',
	int4: 'integer',
	int8: 'bigint',
	bool: 'boolean',
	'timestamp with time zone': 'timestamptz',
	'character varying': 'varchar'
};

function normaliseType(type: string): string {
	const t = type.toLowerCase().replace(/\s+/g, ' ').trim();
	return TYPE_ALIASES[t] ?? t;
}

/** `name(args)` → the function's key: its name and input argument types. */
function functionKey(name: string, args: string, named: boolean): string {
	const types = topLevel(args)
		.map((arg) => arg.replace(/\s+(default|=)\s[\s\S]*$/i, '').trim())
		.filter((arg) => arg && !/^(out)\s/i.test(arg))
		.map((arg) => {
			const tokens = arg.replace(/^(in|inout|variadic)\s+/i, '').split(/\s+/);
			return normaliseType((named && tokens.length > 1 ? tokens.slice(1) : tokens).join(' '));
		});
	return `function:${name.toLowerCase()}(${types.join(',')})`;
}

/** The argument list starting at `open` (an opening parenthesis), and where it ends. */
function parenthesised(text: string, open: number): [string, number] {
	let depth = 0;
	for (let i = open; i < text.length; i++) {
		if (text[i] === '(') depth++;
		if (text[i] === ')' && --depth === 0) return [text.slice(open + 1, i), i + 1];
	}
	return [text.slice(open + 1), text.length];
}

const tableName = (name: string) => name.replace(/"/g, '').toLowerCase();

type Parsed =
	| { kind: 'define'; key: string; replace: boolean }
	| { kind: 'drop'; key: string }
	| { kind: 'comment'; key: string }
	| { kind: 'privileges'; keys: string[]; template: (object: string) => string; objects: string[] }
	| { kind: 'other' };

function parse(body: string): Parsed {
	const b = body.replace(/\s+/g, ' ');
	let m: RegExpExecArray | null;
	if ((m = /^create (or replace )?function ([\w.]+)\s*\(/i.exec(b))) {
		const [args] = parenthesised(b, m[0].length - 1);
		return { kind: 'define', key: functionKey(m[2], args, true), replace: !!m[1] };
	}
	if ((m = /^drop function (if exists )?([\w.]+)\s*\(/i.exec(b))) {
		const [args] = parenthesised(b, m[0].length - 1);
		return { kind: 'drop', key: functionKey(m[2], args, false) };
	}
	if ((m = /^comment on function ([\w.]+)\s*\(/i.exec(b))) {
		const [args] = parenthesised(b, m[0].length - 1);
		return { kind: 'comment', key: functionKey(m[1], args, false) };
	}
	if ((m = /^create policy ("[^"]+") on ([\w.]+)/i.exec(b)))
		return { kind: 'define', key: `policy:${tableName(m[2])}:${m[1]}`, replace: false };
	if ((m = /^drop policy ("[^"]+") on ([\w.]+)/i.exec(b)))
		return { kind: 'drop', key: `policy:${tableName(m[2])}:${m[1]}` };
	if ((m = /^create trigger (\w+) .*? on ([\w.]+)/i.exec(b)))
		return { kind: 'define', key: `trigger:${tableName(m[2])}:${m[1].toLowerCase()}`, replace: false };
	if ((m = /^create (unique )?index (\w+)/i.exec(b)))
		return { kind: 'define', key: `index:${m[2].toLowerCase()}`, replace: false };
	if ((m = /^create table ([\w.]+)/i.exec(b)))
		return { kind: 'define', key: `table:${tableName(m[1])}`, replace: false };
	if ((m = /^comment on table ([\w.]+)/i.exec(b)))
		return { kind: 'comment', key: `table:${tableName(m[1])}` };
	if ((m = /^create type ([\w.]+)/i.exec(b)))
		return { kind: 'define', key: `type:${tableName(m[1])}`, replace: false };
	if ((m = /^create schema (if not exists )?(\w+)/i.exec(b)))
		return { kind: 'define', key: `schema:${m[2].toLowerCase()}`, replace: false };
	if ((m = /^comment on schema (\w+)/i.exec(b)))
		return { kind: 'comment', key: `schema:${m[1].toLowerCase()}` };
	// grant/revoke on functions or tables, possibly several at once.
	if ((m = /^(grant|revoke) ([\w, ]+?) on function (.+) (to|from) ([\w, ]+);$/i.exec(b))) {
		const [verb, privileges, list, direction, roles] = m.slice(1);
		const objects = topLevel(list);
		return {
			kind: 'privileges',
			objects,
			keys: objects.map((object) => {
				const open = object.indexOf('(');
				return functionKey(object.slice(0, open).trim(), parenthesised(object, open)[0], false);
			}),
			template: (object) => `${verb} ${privileges} on function ${object} ${direction} ${roles};`
		};
	}
	if ((m = /^(grant|revoke) ([\w, ]+?) on schema (\w+) (to|from) ([\w, ]+);$/i.exec(b))) {
		const [verb, privileges, schema, direction, roles] = m.slice(1);
		return {
			kind: 'privileges',
			objects: [schema],
			keys: [`schema:${schema.toLowerCase()}`],
			template: (object) => `${verb} ${privileges} on schema ${object} ${direction} ${roles};`
		};
	}
	if ((m = /^(grant|revoke) ([\w, ]+?) on (table )?((?:[\w.]+(?:, )?)+) (to|from) ([\w, ]+);$/i.exec(b))) {
		const [verb, privileges, , list, direction, roles] = m.slice(1);
		const objects = list.split(',').map((o) => o.trim());
		return {
			kind: 'privileges',
			objects,
			keys: objects.map((object) => `table:${tableName(object)}`),
			template: (object) => `${verb} ${privileges} on ${object} ${direction} ${roles};`
		};
	}
	return { kind: 'other' };
}

// ---------------------------------------------------------------------------

export function schemasFromMigrations(dir: string): Map<Capability, string> {
	const items: Item[] = [];
	const byKey = new Map<string, Item>();
	for (const file of readdirSync(dir)
		.filter((f) => f.endsWith('.sql'))
		.sort()) {
		const name = file.replace(/^\d+_/, '').replace(/\.sql$/, '');
		let capability = MIGRATIONS[name];
		if (!capability) throw new Error(`${file}: add its capability to MIGRATIONS in ${import.meta.filename}`);
		let first = true;
		for (const statement of splitStatements(readFileSync(join(dir, file), 'utf8'))) {
			// `-- capability: <name>` lines choose the file for what follows; they are not copied.
			const markers = [...statement.matchAll(/^\s*-- capability: (\w+)\s*$/gm)];
			if (markers.length) {
				const named = markers.at(-1)![1] as Capability;
				if (!CAPABILITIES.includes(named)) throw new Error(`${file}: unknown capability ${named}`);
				capability = named;
			}
			const body = bodyOf(statement);
			if (!body) continue;
			const { before, lead, code } = pieces(statement.replace(/^\s*-- capability: \w+\s*\n/gm, ''));
			// A migration's opening comment (a capability's: what it is and why) stays at the top of its part.
			if (first && before && !CHANGES.has(name))
				items.push({ key: null, capability: MIGRATIONS[name], lead: before, code: '', privileges: [] });
			first = false;
			const parsed = parse(body);
			if (parsed.kind === 'define') {
				const existing = byKey.get(parsed.key);
				if (existing && parsed.replace) {
					// The new definition where the first one stood; its own comment when it brings one.
					existing.code = code;
					if (lead) existing.lead = lead;
				} else if (existing) throw new Error(`${file}: ${parsed.key} created twice`);
				else {
					const item: Item = {
						key: parsed.key,
						capability: OBJECTS[parsed.key] ?? capability,
						lead,
						code,
						privileges: []
					};
					items.push(item);
					byKey.set(parsed.key, item);
				}
			} else if (parsed.kind === 'drop') {
				const existing = byKey.get(parsed.key);
				if (!existing) throw new Error(`${file}: drops ${parsed.key}, which no earlier migration created`);
				items.splice(items.indexOf(existing), 1);
				byKey.delete(parsed.key);
			} else if (parsed.kind === 'comment') {
				const existing = byKey.get(parsed.key);
				if (!existing) throw new Error(`${file}: comments on ${parsed.key}, which is not defined`);
				existing.comment = body.trim();
			} else if (parsed.kind === 'privileges') {
				parsed.keys.forEach((key, i) => {
					const existing = byKey.get(key);
					if (!existing) throw new Error(`${file}: grants on ${key}, which is not defined`);
					existing.privileges.push(parsed.template(parsed.objects[i]));
				});
			} else {
				items.push({ key: null, capability, lead, code, privileges: [] });
			}
		}
	}
	const files = new Map<Capability, string>();
	for (const capability of CAPABILITIES) {
		const parts = items
			.filter((item) => item.capability === capability)
			.map((item) =>
				[item.lead, item.code, item.comment, ...withoutRepeats(item.privileges)].filter(Boolean).join('\n')
			);
		files.set(
			capability,
			[
				`-- supabase/schemas/${capability}.sql: the current definition of every object of the ${capability} capability.`,
				'-- Change it together with a new migration that makes the same change; tests/integration/schemas.spec.ts',
				'-- checks that these files and the migrations build the same database.',
				'',
				// Functions may name objects of capabilities applied after this file (plpgsql resolves at run time).
				'set check_function_bodies = off;',
				'',
				parts.join('\n\n'),
				''
			].join('\n')
		);
	}
	return files;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const root = join(import.meta.dirname, '..', '..');
	const out = join(root, 'supabase', 'schemas');
	mkdirSync(out, { recursive: true });
	for (const [capability, text] of schemasFromMigrations(join(root, 'supabase', 'migrations')))
		writeFileSync(join(out, `${capability}.sql`), text);
	console.log(`wrote supabase/schemas/{${CAPABILITIES.join(',')}}.sql`);
}
