// One current definition per object: supabase/schemas/<capability>.sql (read
// in the order supabase/config.toml lists them) builds the same database as
// supabase/migrations. Both are built on fresh stacks and dumped with
// catalog:snapshot's normalised dump (functions, policies, triggers, grants,
// comments, the access rules...); a difference prints as a diff of the dumps.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogSnapshot } from '../../scripts/generators/catalog-snapshot';
import { startStack } from '../../supabase/local/stack';
import { freshDatabase } from '../../supabase/local/tests/helpers';

const root = resolve(import.meta.dirname, '../..');

/** The schema files in the order config.toml's [db.migrations] schema_paths gives. */
export function schemaFiles(): string[] {
	const config = readFileSync(join(root, 'supabase/config.toml'), 'utf8');
	const list = /schema_paths\s*=\s*\[([^\]]*)\]/.exec(config)?.[1] ?? '';
	return [...list.matchAll(/"\.\/schemas\/([\w-]+\.sql)"/g)].map((m) => m[1]);
}

/** Builds a stack from the migrations found under `dir`/supabase/migrations and dumps its catalog. */
async function catalogOf(dir: string): Promise<string> {
	const here = process.cwd();
	// lite reads ./supabase/migrations of the current directory.
	process.chdir(dir);
	let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;
	try {
		// On the PostgreSQL lane: an empty database each time (no template with the migrations applied).
		if (process.env.TEST_DATABASE_URL) database = await freshDatabase({ template: null });
		const stack = await startStack({
			port: 0,
			dataDir: null,
			seed: false,
			log: () => undefined,
			databaseUrl: database?.url
		});
		try {
			return await catalogSnapshot(stack.sql, { comments: true });
		} finally {
			await stack.stop();
		}
	} finally {
		process.chdir(here);
		await database?.drop();
	}
}

describe('supabase/schemas', () => {
	it('lists every schema file in config.toml, in the order they apply', () => {
		expect(schemaFiles()).toEqual([
			'access.sql',
			'profiles.sql',
			'spaces.sql',
			'threads.sql',
			'realtime.sql',
			'library.sql',
			'dialogues.sql',
			'drafts.sql',
			'programme.sql',
			'meetings.sql',
			'push.sql',
			'auth.sql',
			'moderation.sql',
			'concerns.sql',
			'account.sql'
		]);
	});

	it('build the same catalog as the migrations', { timeout: 300_000 }, async () => {
		const fromMigrations = await catalogOf(root);
		const dir = mkdtempSync(join(tmpdir(), 'sahakum-schemas-'));
		try {
			mkdirSync(join(dir, 'supabase', 'migrations'), { recursive: true });
			schemaFiles().forEach((file, i) =>
				cpSync(
					join(root, 'supabase', 'schemas', file),
					join(dir, 'supabase', 'migrations', `2000010100${String(i + 1).padStart(4, '0')}_${file}`)
				)
			);
			const fromSchemas = await catalogOf(dir);
			// Compared line by line so that a failure shows which objects differ.
			expect(fromSchemas.split('\n')).toEqual(fromMigrations.split('\n'));
			expect(fromMigrations).toContain('## access rules');
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
