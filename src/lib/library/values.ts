// Arrays across the API. Hosted PostgREST takes and returns JSON arrays for
// Postgres array columns and arguments; @supabase/lite on PGlite refuses JSON
// arrays ("malformed array literal") and returns the Postgres text form
// ("{vi,km}"). A Postgres array literal is valid input for both, and reading
// accepts both forms (supabase/local/README.md, "Storage" lists this).
import { LANGUAGES, type Language } from '$lib/vocabulary';

/** A Postgres array literal for simple words (enum labels): '{vi,km}'. */
export function pgArray(values: readonly string[]): string {
	for (const value of values) {
		if (!/^[a-z_]+$/.test(value)) throw new Error(`not a simple array element: ${value}`);
	}
	return `{${values.join(',')}}`;
}

/** The languages of a resource, whichever form the API answered with. */
export function languagesOf(value: unknown): Language[] {
	const items = Array.isArray(value)
		? value
		: typeof value === 'string'
			? value.replace(/^\{|\}$/g, '').split(',')
			: [];
	return items.filter((item): item is Language => LANGUAGES.includes(item as Language));
}
