// `npm run catalog:snapshot [-- --rev <git revision>] [--database-url <url>] [--comments] [--raw]`: prints a
// normalised dump of what the migrations build, to compare two sets of
// migrations (the squash of 2026-11 was checked this way: the dump of the
// squashed migrations equals the dump of the eleven it replaced).
//
// It starts a fresh in-memory local stack (no seed, no request made) and
// dumps the `public` and `private` schemas (enums, tables, columns,
// constraints, indexes, policies, functions, triggers, grants to
// anon/authenticated/PUBLIC, the rows of private.access_rules,
// private.programme_figure_parts and private.auth_throttle_rules), the policies on realtime.messages and
// storage.objects, the triggers that call public functions from other schemas
// (auth.users) and the storage buckets the migrations create.
// tests/integration/schemas.spec.ts compares the migrations' catalog with the
// one supabase/schemas builds.
// Function bodies are compared without comments and with whitespace runs
// collapsed (--raw keeps them as stored); object comments are left out unless
// --comments is given.
//
// --rev runs the migrations of that git revision instead of the work tree's
// (they are copied to a temporary directory: lite reads ./supabase/migrations
// from the current directory). --database-url <url> builds on a real Postgres
// instead of PGlite: give it an empty database.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startStack } from '../../supabase/local/stack';

/** Drops SQL comments (outside quotes) and collapses whitespace. */
export function normaliseSql(text: string): string {
	let out = '';
	let i = 0;
	while (i < text.length) {
		const c = text[i];
		if (c === "'" || c === '"') {
			const end = closingQuote(text, i, c);
			out += text.slice(i, end);
			i = end;
		} else if (c === '-' && text[i + 1] === '-') {
			while (i < text.length && text[i] !== '\n') i++;
		} else if (c === '/' && text[i + 1] === '*') {
			const end = text.indexOf('*/', i + 2);
			i = end < 0 ? text.length : end + 2;
			out += ' ';
		} else {
			out += c;
			i++;
		}
	}
	return out.replace(/\s+/g, ' ').trim();
}

function closingQuote(text: string, start: number, quote: string): number {
	let i = start + 1;
	while (i < text.length) {
		if (text[i] === quote) {
			if (text[i + 1] === quote) i += 2;
			else return i + 1;
		} else i++;
	}
	return i;
}

type Sql = <T = Record<string, unknown>>(query: string, params?: unknown[]) => Promise<T[]>;

const sections: [string, string][] = [
	[
		'enums',
		`select n.nspname || '.' || t.typname as name, array_agg(e.enumlabel order by e.enumsortorder)::text as labels
		   from pg_type t join pg_enum e on e.enumtypid = t.oid join pg_namespace n on n.oid = t.typnamespace
		  where n.nspname in ('public', 'private') group by 1 order by 1`
	],
	[
		'tables',
		`select n.nspname || '.' || c.relname as table, c.relkind::text as kind, c.relrowsecurity as rls,
		        c.relforcerowsecurity as force_rls
		   from pg_class c join pg_namespace n on n.oid = c.relnamespace
		  where n.nspname in ('public', 'private') and c.relkind in ('r', 'v', 'm', 'p') order by 1`
	],
	[
		'columns',
		`select n.nspname || '.' || c.relname as table, a.attnum as position, a.attname as column,
		        format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null,
		        pg_get_expr(d.adbin, d.adrelid) as default, a.attidentity::text as identity,
		        a.attgenerated::text as generated
		   from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
		   left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
		  where n.nspname in ('public', 'private') and c.relkind in ('r', 'v', 'm', 'p') and a.attnum > 0
		    and not a.attisdropped
		  order by 1, 2`
	],
	[
		'constraints',
		`select n.nspname || '.' || c.relname as table, con.conname as name, con.contype::text as type,
		        pg_get_constraintdef(con.oid) as definition
		   from pg_constraint con join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
		  where n.nspname in ('public', 'private') order by 1, 2`
	],
	[
		'indexes',
		`select schemaname || '.' || tablename as table, indexname as name, indexdef as definition
		   from pg_indexes where schemaname in ('public', 'private') order by 1, 2`
	],
	[
		'policies',
		`select schemaname || '.' || tablename as table, policyname as name, cmd, permissive,
		        roles::text as roles, qual as using, with_check
		   from pg_policies
		  where schemaname in ('public', 'private')
		     or (schemaname = 'realtime' and tablename = 'messages')
		     or (schemaname = 'storage' and tablename = 'objects')
		  order by 1, 2`
	],
	[
		'functions',
		`select p.oid::regprocedure::text as signature, p.prosecdef as security_definer,
		        p.provolatile::text as volatility, p.proparallel::text as parallel, p.proleakproof as leakproof,
		        p.proconfig::text as config, pg_get_functiondef(p.oid) as definition
		   from pg_proc p join pg_namespace n on n.oid = p.pronamespace
		  where n.nspname in ('public', 'private') order by 1`
	],
	[
		'triggers',
		`select tc.relnamespace::regnamespace::text || '.' || tc.relname as table, t.tgname as name,
		        t.tgenabled::text as enabled, pg_get_triggerdef(t.oid) as definition
		   from pg_trigger t join pg_class tc on tc.oid = t.tgrelid
		   join pg_proc p on p.oid = t.tgfoid join pg_namespace pn on pn.oid = p.pronamespace
		  where not t.tgisinternal
		    and (tc.relnamespace in ('public'::regnamespace, 'private'::regnamespace) or pn.nspname in ('public', 'private'))
		  order by 1, 2`
	],
	[
		'table grants',
		`select table_schema || '.' || table_name as table, grantee,
		        string_agg(privilege_type, ', ' order by privilege_type) as privileges
		   from information_schema.role_table_grants
		  where table_schema in ('public', 'private') and grantee in ('anon', 'authenticated', 'PUBLIC')
		  group by 1, 2 order by 1, 2`
	],
	[
		'function grants',
		`select p.oid::regprocedure::text as signature,
		        coalesce(nullif(a.grantee, 0)::regrole::text, 'PUBLIC') as grantee, a.privilege_type as privilege
		   from pg_proc p join pg_namespace n on n.oid = p.pronamespace,
		        aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
		  where n.nspname in ('public', 'private')
		    and (a.grantee = 0 or a.grantee in ('anon'::regrole, 'authenticated'::regrole))
		  order by 1, 2`
	],
	[
		'function execute (effective)',
		`select p.oid::regprocedure::text as signature,
		        has_function_privilege('anon', p.oid, 'execute') as anon,
		        has_function_privilege('authenticated', p.oid, 'execute') as authenticated
		   from pg_proc p join pg_namespace n on n.oid = p.pronamespace
		  where n.nspname in ('public', 'private') order by 1`
	],
	[
		'schemas',
		`select nspname as name, has_schema_privilege('anon', oid, 'usage') as anon_usage,
		        has_schema_privilege('authenticated', oid, 'usage') as authenticated_usage
		   from pg_namespace where nspname in ('public', 'private') order by 1`
	],
	[
		'buckets',
		`select id, name, public, file_size_limit, allowed_mime_types::text as allowed_mime_types
		   from storage.buckets order by 1`
	],
	[
		'access rules',
		`select hub, key, mode, rule::text as rule, capability from private.access_rules order by 1, 2`
	],
	[
		'programme figure parts',
		`select key, part::text as part, capability, position from private.programme_figure_parts order by 1`
	],
	[
		'sign-in throttle rules',
		`select rule, max_events, window_length::text, pause::text, max_pause::text
		   from private.auth_throttle_rules order by 1`
	]
];

const commentSection: [string, string] = [
	'comments',
	`select 'function' as kind, p.oid::regprocedure::text as object, d.description as comment
	   from pg_proc p join pg_namespace n on n.oid = p.pronamespace
	   join pg_description d on d.objoid = p.oid and d.classoid = 'pg_proc'::regclass
	  where n.nspname in ('public', 'private')
	 union all
	 select 'table', c.relnamespace::regnamespace::text || '.' || c.relname, d.description
	   from pg_class c join pg_description d on d.objoid = c.oid and d.classoid = 'pg_class'::regclass
	    and d.objsubid = 0
	  where c.relnamespace in ('public'::regnamespace, 'private'::regnamespace)
	 union all
	 select 'column', c.relname || '.' || a.attname, d.description
	   from pg_class c join pg_attribute a on a.attrelid = c.oid
	   join pg_description d on d.objoid = c.oid and d.classoid = 'pg_class'::regclass and d.objsubid = a.attnum
	  where c.relnamespace in ('public'::regnamespace, 'private'::regnamespace) and d.objsubid > 0
	 union all
	 select 'schema', n.nspname, d.description
	   from pg_namespace n join pg_description d on d.objoid = n.oid and d.classoid = 'pg_namespace'::regclass
	  where n.nspname in ('public', 'private')
	 union all
	 select 'policy', pol.polrelid::regclass::text || ' ' || pol.polname, d.description
	   from pg_policy pol join pg_description d on d.objoid = pol.oid and d.classoid = 'pg_policy'::regclass
	  order by 1, 2`
];

/** The dump as text: one section per kind of object, one line per row. */
export async function catalogSnapshot(
	sql: Sql,
	options: { comments?: boolean; raw?: boolean } = {}
): Promise<string> {
	const lines: string[] = [];
	for (const [title, query] of options.comments ? [...sections, commentSection] : sections) {
		lines.push(`## ${title}`);
		for (const row of await sql(query)) {
			const fields = Object.entries(row).map(([key, value]) => {
				const text = value === null ? 'null' : typeof value === 'string' ? value : JSON.stringify(value);
				const normalise = key === 'definition' && title === 'functions' && !options.raw;
				return `${key}=${normalise ? normaliseSql(text) : text}`;
			});
			lines.push(fields.join(' | '));
		}
		lines.push('');
	}
	return lines.join('\n');
}

async function main() {
	const args = process.argv.slice(2);
	const revIndex = args.indexOf('--rev');
	const rev = revIndex >= 0 ? args[revIndex + 1] : undefined;
	let tempDir: string | undefined;
	if (rev) {
		// lite applies ./supabase/migrations of the current directory.
		const root = resolve(import.meta.dirname, '../..');
		tempDir = mkdtempSync(join(tmpdir(), 'sahakum-catalog-'));
		const archive = execFileSync('git', ['-C', root, 'archive', rev, 'supabase/migrations']);
		execFileSync('tar', ['-x', '-C', tempDir], { input: archive });
		process.chdir(tempDir);
	}
	const urlIndex = args.indexOf('--database-url');
	const databaseUrl = urlIndex >= 0 ? args[urlIndex + 1] : undefined;
	const stack = await startStack({ port: 0, dataDir: null, databaseUrl, seed: false, log: () => undefined });
	try {
		process.stdout.write(
			await catalogSnapshot(stack.sql, { comments: args.includes('--comments'), raw: args.includes('--raw') })
		);
	} finally {
		await stack.stop();
		if (tempDir) rmSync(tempDir, { recursive: true, force: true });
	}
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
