// Reading the drafts' forms with the schema's limits; messages come back
// translated (see $lib/ui/form).
import { isUuid, readChoice, readId, readString, readText, type Problems } from '$lib/ui/form';
import { LANGUAGES } from '$lib/vocabulary';
import { DRAFT_KINDS } from './types';
import { COMMENT_MAX, DRAFT_TITLE_MAX, VERSION_NAME_MAX } from './limits';

const ok = (problems: Problems) => Object.keys(problems).length === 0;

/** "builtin:<kind>", "builtin:blank" or a saved template's id. */
export function readNewDraftForm(form: FormData) {
	const problems: Problems = {};
	const template = readString(form, 'template');
	const builtin = /^builtin:(proposal|budget|plan|blank)$/.exec(template)?.[1] as
		(typeof DRAFT_KINDS)[number] | 'blank' | undefined;
	const values = {
		id: readId(form),
		title: readText(form, 'title', problems, { required: true, max: DRAFT_TITLE_MAX }),
		template: builtin ? template : isUuid(template) ? template : 'builtin:proposal',
		builtin: builtin ?? (isUuid(template) ? null : ('proposal' as const)),
		savedTemplate: !builtin && isUuid(template) ? template : null,
		language: readChoice(form, 'language', LANGUAGES, 'vi')
	};
	return { values, problems, ok: ok(problems) };
}

export function readCommentForm(form: FormData) {
	const problems: Problems = {};
	const section = readString(form, 'section');
	const parent = readString(form, 'parent');
	const values = {
		id: readId(form),
		section: /^[A-Za-z0-9_:-]{1,64}$/.test(section) ? section : 'general',
		parent: isUuid(parent) ? parent : null,
		body: readText(form, 'body', problems, { required: true, max: COMMENT_MAX })
	};
	return { values, problems, ok: ok(problems) };
}

export function readNameForm(form: FormData, name = 'name', max = VERSION_NAME_MAX) {
	const problems: Problems = {};
	const values = { id: readId(form), name: readText(form, name, problems, { required: true, max }) };
	return { values, problems, ok: ok(problems) };
}
