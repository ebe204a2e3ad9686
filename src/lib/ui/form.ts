// Reading text fields from a submitted form with the same limits as the schema.
import { problem, type Problem } from '$lib/i18n/problem';

export type Problems = Partial<Record<string, Problem>>;

/** A problem with the whole form rather than one field. */
export const formProblem = (p: Problem): Problems => ({ form: p });

export function readText(
	form: FormData,
	name: string,
	problems: Problems,
	{ required = false, max }: { required?: boolean; max: number }
): string {
	const value = String(form.get(name) ?? '').trim();
	if (required && !value) problems[name] = problem('error_required');
	else if (value.length > max) problems[name] = problem('error_too_long', { max, length: value.length });
	return value;
}

export function readChoice<T extends string>(
	form: FormData,
	name: string,
	choices: readonly T[],
	fallback: T
): T {
	const value = form.get(name);
	return choices.includes(value as T) ? (value as T) : fallback;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A client-generated id (idempotent retries) or a fresh one when the form had none. */
export function readId(form: FormData, name = 'id'): string {
	const value = String(form.get(name) ?? '');
	return uuidPattern.test(value) ? value.toLowerCase() : crypto.randomUUID();
}

export const isUuid = (value: string) => uuidPattern.test(value);
