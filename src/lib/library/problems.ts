// Library refusals → translated messages: words raised by the library
// migration, check constraints, and Storage's answers to an upload.
import { m } from '$lib/paraglide/messages';
import type { PostgrestError } from '@supabase/supabase-js';
import type { Problems } from '$lib/ui/form';
import { constraintName, refusalKind } from '$lib/supabase/errors';
import { databaseProblem } from '$lib/supabase/problems';
import { formatBytes } from '$lib/i18n/format';
import { LIBRARY_MAX_BYTES, isAllowedMime } from './limits';

/** Field problems for a refused add/replace/edit; anything else is a problem with the whole form. */
export function libraryProblems(error: Pick<PostgrestError, 'code' | 'message'> | null): Problems {
	const message = error?.message ?? '';
	if (message.includes('file_missing')) return { file: m.library_error_file_missing() };
	if (message.includes('file_or_link')) return { file: m.library_error_file_required() };
	if (refusalKind(error) === 'check') {
		const constraint = constraintName(error) ?? '';
		if (constraint.includes('title')) return { title: m.library_error_title_required() };
		if (constraint.includes('url')) return { url: m.library_error_url() };
	}
	return { form: databaseProblem(error) };
}

/**
 * Storage's refusal of an upload. Hosted Storage and the local stack both put
 * the HTTP-like status in the body's `statusCode` (the response itself may be 400).
 */
export function storageProblem(
	status: number | string | undefined,
	fileName = '',
	/** The type the upload declared: when it is one the library takes, a 415 means the content was not. */
	declaredType = ''
): string {
	switch (Number(status)) {
		case 413:
			return m.library_error_too_large_plain({ max: formatBytes(LIBRARY_MAX_BYTES) });
		case 415:
			return isAllowedMime(declaredType)
				? m.library_error_not_what_it_says({ name: fileName })
				: m.library_error_wrong_type({ name: fileName });
		case 401:
		case 403:
			return m.error_not_allowed();
		case 0:
			return m.error_network();
		default:
			return m.library_error_upload();
	}
}
