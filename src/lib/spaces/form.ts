import { SPACE_COLOURS } from '$lib/vocabulary';
import { readChoice, readText, type Problems } from '$lib/ui/form';
import { locales } from '$lib/paraglide/runtime';

import type { NewSpace } from './queries';
import { SPACE_LIMITS } from './limits';

export function readSpaceForm(form: FormData, userId: string) {
	const problems: Problems = {};
	const values = {
		kind: readChoice(form, 'kind', ['cop', 'club'] as const, 'cop'),
		name: readText(form, 'name', problems, { required: true, max: SPACE_LIMITS.name }),
		objective: readText(form, 'objective', problems, { required: true, max: SPACE_LIMITS.objective }),
		description: readText(form, 'description', problems, { max: SPACE_LIMITS.description }),
		primary_language: readChoice(form, 'primary_language', locales, 'vi'),
		colour: readChoice(form, 'colour', SPACE_COLOURS, 'teal')
	};
	const insert: NewSpace = { ...values, created_by: userId };
	return { values, insert, problems, ok: Object.keys(problems).length === 0 };
}
