// Reading the library forms, in the browser (before spending data on an
// upload) and again on the server, with the limits the schema and the bucket set.
import { TOPICS, LANGUAGES, type Language } from '$lib/vocabulary';
import { m } from '$lib/paraglide/messages';
import { readChoice, readId, readText, type Problems } from '$lib/ui/form';

import { formatBytes } from '$lib/i18n/format';
import {
	COLLECTION_MAX,
	DESCRIPTION_MAX,
	LIBRARY_MAX_BYTES,
	TITLE_MAX,
	URL_MAX,
	isAllowedMime
} from './limits';

const RESOURCE_KINDS = ['file', 'link'] as const;

function readLanguages(form: FormData): Language[] {
	const chosen = form.getAll('languages').map(String);
	return LANGUAGES.filter((language) => chosen.includes(language));
}

/** Title, description, topic, languages, collection (and the link for a link). */
export function readResourceForm(form: FormData) {
	const problems: Problems = {};
	const kind = readChoice(form, 'kind', RESOURCE_KINDS, 'file');
	const values = {
		id: readId(form),
		kind,
		title: readText(form, 'title', problems, {
			required: true,
			max: TITLE_MAX,
			requiredMessage: m.library_error_title_required()
		}),
		description: readText(form, 'description', problems, { max: DESCRIPTION_MAX }),
		topic: readChoice(form, 'topic', TOPICS, 'other'),
		languages: readLanguages(form),
		collection: readText(form, 'collection', problems, { max: COLLECTION_MAX }),
		url: kind === 'link' ? readText(form, 'url', problems, { required: true, max: URL_MAX }) : ''
	};
	if (kind === 'link' && values.url && !problems.url && !/^https?:\/\/\S+$/i.test(values.url)) {
		problems.url = m.library_error_url();
	}
	return { values, problems, ok: Object.keys(problems).length === 0 };
}

export type ResourceValues = ReturnType<typeof readResourceForm>['values'];

/** The bucket's rules, said before the upload starts. The bucket checks them again. */
export function checkFile(
	file: { size: number; type: string; name: string } | null | undefined
): string | null {
	if (!file || file.size === 0) return m.library_error_file_required();
	if (file.size > LIBRARY_MAX_BYTES) {
		return m.library_error_too_large({
			size: formatBytes(file.size),
			max: formatBytes(LIBRARY_MAX_BYTES)
		});
	}
	if (!isAllowedMime(file.type)) return m.library_error_wrong_type({ name: file.name });
	return null;
}

/** A file chosen in a no-JavaScript form post (an empty input arrives as a nameless, empty File). */
export function submittedFile(form: FormData, name = 'file'): File | null {
	const value = form.get(name);
	return typeof value === 'object' && value !== null && value.size > 0 ? value : null;
}

/** What the limits hint says under the file picker. */
export const limitsHint = () => m.library_file_hint({ max: formatBytes(LIBRARY_MAX_BYTES) });
