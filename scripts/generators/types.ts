// `npm run gen:types`: writes src/lib/supabase/database.types.ts from the
// schema the migrations build (a fresh in-memory local stack), in the same
// shape as `supabase gen types typescript`. Never edit the output by hand.
import { writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { startStack } from '../../supabase/local/stack';

const OUT = 'src/lib/supabase/database.types.ts';
const stack = await startStack({ port: 0, dataDir: null, seed: false, log: () => undefined });

type Column = {
	table_name: string;
	column_name: string;
	udt_name: string;
	data_type: string;
	is_nullable: 'YES' | 'NO';
	has_default: boolean;
	is_generated: boolean;
	is_view: boolean;
};

const enums = await stack.sql<{ name: string; labels: string[] }>(
	`select t.typname as name, array_agg(e.enumlabel order by e.enumsortorder) as labels
	   from pg_type t join pg_enum e on e.enumtypid = t.oid join pg_namespace n on n.oid = t.typnamespace
	  where n.nspname = 'public' group by t.typname order by t.typname`
);
const enumNames = new Set(enums.map((e) => e.name));

const columns = await stack.sql<Column>(
	`select c.table_name, c.column_name, c.udt_name, c.data_type, c.is_nullable,
	        (c.column_default is not null or c.is_identity = 'YES') as has_default,
	        (c.is_generated = 'ALWAYS') as is_generated,
	        (t.table_type = 'VIEW') as is_view
	   from information_schema.columns c
	   join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
	  where c.table_schema = 'public'
	  order by c.table_name, c.ordinal_position`
);

const relationships = await stack.sql<{
	name: string;
	table_name: string;
	columns: string[];
	referenced_table: string;
	referenced_columns: string[];
	one_to_one: boolean;
}>(
	`select con.conname as name, cl.relname as table_name,
	        array(select a.attname from unnest(con.conkey) k join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k) as columns,
	        rcl.relname as referenced_table,
	        array(select a.attname from unnest(con.confkey) k join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k) as referenced_columns,
	        exists (select 1 from pg_index i where i.indrelid = con.conrelid and i.indisunique
	                and (select array_agg(x order by x) from unnest(i.indkey::int2[]) x) = (select array_agg(y order by y) from unnest(con.conkey) y)) as one_to_one
	   from pg_constraint con
	   join pg_class cl on cl.oid = con.conrelid join pg_namespace n on n.oid = cl.relnamespace
	   join pg_class rcl on rcl.oid = con.confrelid join pg_namespace rn on rn.oid = rcl.relnamespace
	  where con.contype = 'f' and n.nspname = 'public' and rn.nspname = 'public'
	  order by cl.relname, con.conname`
);

const functions = await stack.sql<{
	name: string;
	args: string | null;
	arg_types: string[];
	returns: string;
	retset: boolean;
	defaults: number;
	table_columns: { name: string; type: string }[] | null;
}>(
	`select p.proname as name, array_to_string(p.proargnames, ',') as args,
	        array(select format_type(t, null) from unnest(p.proargtypes) t) as arg_types,
	        format_type(p.prorettype, null) as returns, p.proretset as retset, p.pronargdefaults as defaults,
	        (select json_agg(json_build_object('name', p.proargnames[g.i], 'type', format_type(p.proallargtypes[g.i], null)) order by g.i)
	           from generate_subscripts(p.proallargtypes, 1) as g(i) where p.proargmodes[g.i] = 't') as table_columns
	   from pg_proc p join pg_namespace n on n.oid = p.pronamespace
	  where n.nspname = 'public' and p.prokind = 'f' and format_type(p.prorettype, null) <> 'trigger'
	  order by p.proname`
);
await stack.stop();

function tsType(udt: string, dataType: string): string {
	if (dataType === 'ARRAY') return `${tsType(udt.replace(/^_/, ''), '')}[]`;
	if (enumNames.has(udt)) return `Database['public']['Enums']['${udt}']`;
	if (
		[
			'int2',
			'int4',
			'int8',
			'float4',
			'float8',
			'numeric',
			'smallint',
			'integer',
			'bigint',
			'real',
			'double precision'
		].includes(udt)
	)
		return 'number';
	if (['bool', 'boolean'].includes(udt)) return 'boolean';
	if (['json', 'jsonb'].includes(udt)) return 'Json';
	if (['void'].includes(udt)) return 'undefined';
	if (
		[
			'uuid',
			'text',
			'varchar',
			'bpchar',
			'citext',
			'timestamptz',
			'timestamp',
			'date',
			'time',
			'timetz',
			'inet',
			'bytea', // PostgREST answers bytea as a hex string (\\x…), as supabase gen types says
			'interval',
			'tsvector',
			'character varying',
			'timestamp with time zone'
		].includes(udt)
	)
		return 'string';
	if (udt.endsWith('[]')) return `${tsType(udt.slice(0, -2), '')}[]`;
	if (enumNames.has(udt.replace(/^public\./, ''))) return tsType(udt.replace(/^public\./, ''), '');
	return 'unknown';
}

const byTable = new Map<string, Column[]>();
for (const column of columns)
	byTable.set(column.table_name, [...(byTable.get(column.table_name) ?? []), column]);

const relation = (table: string) =>
	relationships
		.filter((r) => r.table_name === table)
		.map(
			(r) =>
				`{ foreignKeyName: '${r.name}'; columns: [${r.columns.map((c) => `'${c}'`).join(', ')}]; isOneToOne: ${r.one_to_one}; referencedRelation: '${r.referenced_table}'; referencedColumns: [${r.referenced_columns.map((c) => `'${c}'`).join(', ')}] }`
		)
		.join(', ');

function tableBlock(name: string, cols: Column[], view: boolean): string {
	const field = (c: Column, mode: 'Row' | 'Insert' | 'Update') => {
		const type = tsType(c.udt_name, c.data_type) + (c.is_nullable === 'YES' ? ' | null' : '');
		if (mode === 'Row') return `${c.column_name}: ${type}`;
		if (c.is_generated) return `${c.column_name}?: never`;
		const optional = mode === 'Update' || c.is_nullable === 'YES' || c.has_default;
		return `${c.column_name}${optional ? '?' : ''}: ${type}`;
	};
	const block = (mode: 'Row' | 'Insert' | 'Update') =>
		`{\n\t\t\t\t\t${cols.map((c) => field(c, mode)).join('\n\t\t\t\t\t')}\n\t\t\t\t}`;
	return `\t\t\t${name}: {\n\t\t\t\tRow: ${block('Row')}\n${view ? '' : `\t\t\t\tInsert: ${block('Insert')}\n\t\t\t\tUpdate: ${block('Update')}\n`}\t\t\t\tRelationships: [${relation(name)}]\n\t\t\t}`;
}

const tables = [...byTable].filter(([, cols]) => !cols[0].is_view);
const views = [...byTable].filter(([, cols]) => cols[0].is_view);
const fnBlock = functions
	.map((f) => {
		const names = f.args ? f.args.split(',') : [];
		// Arguments with defaults are the last pronargdefaults ones: optional in TS.
		const firstOptional = f.arg_types.length - f.defaults;
		const args = f.arg_types
			.map((t, i) => `${names[i] ?? `arg${i}`}${i >= firstOptional ? '?' : ''}: ${tsType(t, '')}`)
			.join('; ');
		const returns = f.table_columns
			? `{ ${f.table_columns.map((c) => `${c.name}: ${tsType(c.type, '')}`).join('; ')} }[]`
			: tsType(f.returns, '') + (f.retset ? '[]' : '');
		return `\t\t\t${f.name}: { Args: ${args ? `{ ${args} }` : 'Record<PropertyKey, never>'}; Returns: ${returns} }`;
	})
	.join('\n');

// An empty section is written the way `supabase gen types` writes it.
const section = (body: string) => (body ? `{\n${body}\n\t\t}` : '{ [_ in never]: never }');

const output = `// Generated by \`npm run gen:types\` from supabase/migrations. Do not edit by hand.
export type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[];

export type Database = {
	public: {
		Tables: ${section(tables.map(([name, cols]) => tableBlock(name, cols, false)).join('\n'))};
		Views: ${section(views.map(([name, cols]) => tableBlock(name, cols, true)).join('\n'))};
		Functions: ${section(fnBlock)};
		Enums: ${section(enums.map((e) => `\t\t\t${e.name}: ${e.labels.map((l) => `'${l}'`).join(' | ')}`).join('\n'))};
		CompositeTypes: Record<string, never>;
	};
};

type PublicSchema = Database['public'];
export type Tables<T extends keyof PublicSchema['Tables']> = PublicSchema['Tables'][T]['Row'];
export type TablesInsert<T extends keyof PublicSchema['Tables']> = PublicSchema['Tables'][T]['Insert'];
export type TablesUpdate<T extends keyof PublicSchema['Tables']> = PublicSchema['Tables'][T]['Update'];
export type Enums<T extends keyof PublicSchema['Enums']> = PublicSchema['Enums'][T];
`;

writeFileSync(OUT, output);
execFileSync('npx', ['prettier', '--write', OUT], { stdio: 'ignore' });
console.log(
	`wrote ${OUT}: ${tables.length} tables, ${views.length} views, ${functions.length} functions, ${enums.length} enums`
);
