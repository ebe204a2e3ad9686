import {
	hasProblems,
	readDisplayName,
	readOptional,
	readPhone,
	ORGANISATION_MAX,
	type FieldProblems
} from '$lib/auth/validation';
import { isLocale } from '$lib/i18n/locales';
import { problem } from '$lib/i18n/problem';
import type { Locale } from '$lib/paraglide/runtime';

export interface ProfileInput {
	display_name: string;
	organisation: string | null;
	phone: string | null;
	preferred_language: Locale;
}

export function readProfileForm(form: FormData): {
	values: ProfileInput;
	problems: FieldProblems;
	ok: boolean;
} {
	const problems: FieldProblems = {};
	const language = form.get('preferred_language');
	if (!isLocale(language)) problems.preferred_language = problem('error_generic');
	const values: ProfileInput = {
		display_name: readDisplayName(form, problems),
		organisation: readOptional(form, 'organisation', ORGANISATION_MAX, problems),
		phone: readPhone(form, problems),
		preferred_language: isLocale(language) ? language : 'en'
	};
	return { values, problems, ok: !hasProblems(problems) };
}
