// Reading submitted forms with the same limits as the schema, and the one
// shape a refused form comes back in: what was typed (so nothing is lost)
// and, per field, what is wrong, already translated. Messages are called by
// name (m.error_required()), never looked up by a computed key, so a page
// carries only the messages it can show.
import { fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { cleanText } from '$lib/text/clean';

/** What is wrong with a form, per field; `form` is the whole form. Translated text. */
export type Problems = Partial<Record<string, string>>;

/** A problem with the whole form rather than one field. */
const formProblem = (message: string): Problems => ({ form: message });

export const hasProblems = (problems: Problems) => Object.keys(problems).length > 0;

/**
 * A refused form action: `fail(status)` with what was typed and why. `problems`
 * is a field map, or one message for the whole form.
 */
export function refuse<const Kept extends object>(status: number, problems: Problems | string, kept: Kept) {
	return fail(status, { ...kept, problems: typeof problems === 'string' ? formProblem(problems) : problems });
}

/** A submitted text value; a file or a missing field reads as ''. */
export function readString(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}

export function readText(
	form: FormData,
	name: string,
	problems: Problems,
	{ required = false, max, requiredMessage }: { required?: boolean; max: number; requiredMessage?: string }
): string {
	const value = cleanText(readString(form, name));
	if (required && !value.visible) problems[name] = requiredMessage ?? m.error_required();
	else if (value.text.length > max) problems[name] = m.error_too_long({ max, length: value.text.length });
	return value.text;
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
	const value = readString(form, name);
	return uuidPattern.test(value) ? value.toLowerCase() : crypto.randomUUID();
}

export const isUuid = (value: string) => uuidPattern.test(value);

/** A consequential action's second step was taken (ConfirmAction.svelte sends confirm=yes). */
export const isConfirmed = (form: FormData) => form.get('confirm') === 'yes';
