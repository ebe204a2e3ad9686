// What kind of database refusal a PostgREST error is. Hosted PostgREST puts
// the SQLSTATE in `code` (23514, 23505, ...); @supabase/lite answers some of
// them with code "SUP" and the Postgres message, so read both.
import type { PostgrestError } from '@supabase/supabase-js';

export type DatabaseRefusal = 'check' | 'unique' | 'foreign_key' | 'not_null' | 'row_security' | 'other';

const byCode: Record<string, DatabaseRefusal> = {
	'23514': 'check',
	'23505': 'unique',
	'23503': 'foreign_key',
	'23502': 'not_null',
	'42501': 'row_security'
};

const byMessage: [RegExp, DatabaseRefusal][] = [
	[/violates check constraint/i, 'check'],
	[/duplicate key value|violates unique constraint/i, 'unique'],
	[/violates foreign key constraint/i, 'foreign_key'],
	[/violates not-null constraint/i, 'not_null'],
	[/row-level security|permission denied/i, 'row_security']
];

export function refusalKind(
	error: Pick<PostgrestError, 'code' | 'message'> | null | undefined
): DatabaseRefusal | null {
	if (!error) return null;
	return byCode[error.code] ?? byMessage.find(([pattern]) => pattern.test(error.message))?.[1] ?? 'other';
}

/** The constraint a refusal names, e.g. "threads_title_check", when the message says. */
export function constraintName(error: Pick<PostgrestError, 'message'> | null | undefined): string | null {
	return error?.message.match(/constraint "([^"]+)"/)?.[1] ?? null;
}
