// Database errors answered as PostgREST answers them. lite maps the common
// SQLSTATEs itself (23505/23503 → 409, 42501 → 401/403, classes 22/42 and 23502
// → 400) but sends every other one as a 500 with code "SUP" and the SQLSTATE
// lost: a check constraint (23514) or a function's `raise exception` (P0001)
// looked like a server fault, where PostgREST says 400 with the SQLSTATE.
//
// lite asks the connection to "normalize" each error before mapping it, and
// honours PostgREST's own escape hatch: an error with code "PGRST" whose message
// is the JSON body and whose detail is {status, headers}. So for the SQLSTATEs
// lite would lose, the connection's normalizeDbError returns that, with
// PostgREST's status for the code (its Error.hs `pgErrorStatus`). The codes lite
// already maps are left to it (tests/limits.spec.ts checks both kinds).
import type { Connection } from '@supabase/lite';

interface DbError {
	code?: unknown;
	message?: string;
	detail?: string | null;
	hint?: string | null;
}

/** SQLSTATEs lite answers the way PostgREST does (see its REST error mapping). */
function liteMapsIt(code: string): boolean {
	if (code === 'PGRST') return true; // already PostgREST's own form (raise sqlstate 'PGRST')
	if (['42501', '42P01', '23505', '23503', '25006', '42883', '42P17', '23502'].includes(code)) return true;
	return ['42', '22', '21', '53', '55', 'PT'].includes(code.slice(0, 2));
}

/** PostgREST's HTTP status for a SQLSTATE (PostgREST.Error.pgErrorStatus). */
export function postgrestStatus(code: string): number {
	if (code === '23503' || code === '23505') return 409;
	if (code === '25006') return 405;
	if (code === '42501') return 403;
	if (code === '42P01' || code === '42883') return 404;
	if (code === 'P0001') return 400;
	if (code === '53400') return 500;
	const status: Record<string, number> = {
		'08': 503,
		'09': 500,
		'0L': 403,
		'0P': 403,
		'25': 500,
		'28': 403,
		'2D': 500,
		'38': 500,
		'39': 500,
		'3B': 500,
		'40': 500,
		'53': 503,
		'54': 500,
		'55': 500,
		'57': 500,
		'58': 500,
		F0: 500,
		HV: 500,
		P0: 500,
		XX: 500
	};
	return status[code.slice(0, 2)] ?? 400;
}

export function answerDbErrorsLikePostgrest(connection: Connection): void {
	const target = connection as unknown as { normalizeDbError(error: unknown): unknown };
	const normalize = target.normalizeDbError.bind(connection);
	target.normalizeDbError = (error: unknown) => {
		const normal = normalize(error) as DbError | null | undefined;
		const code = normal?.code;
		if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code) || liteMapsIt(code)) return normal;
		return Object.assign(new Error(normal!.message), {
			code: 'PGRST',
			message: JSON.stringify({
				code,
				message: normal!.message ?? '',
				details: normal!.detail ?? null,
				hint: normal!.hint ?? null
			}),
			detail: JSON.stringify({ status: postgrestStatus(code), headers: {} })
		});
	};
}
