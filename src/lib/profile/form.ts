import { hasProblems, type Problems } from '$lib/ui/form';
import { m } from '$lib/paraglide/messages';
import { readDisplayName, readOptional, readPhone } from '$lib/auth/validation';
import { ORGANISATION_MAX } from '$lib/auth/limits';
import { isLocale } from '$lib/i18n/locales';
import type { Locale } from '$lib/paraglide/runtime';

export interface ProfileInput {
	display_name: string;
	organisation: string | null;
	phone: string | null;
	preferred_language: Locale;
}

export function readProfileForm(form: FormData): {
	values: ProfileInput;
	problems: Problems;
	ok: boolean;
} {
	const problems: Problems = {};
	const language = form.get('preferred_language');
	if (!isLocale(language)) problems.preferred_language = m.error_generic();
	const values: ProfileInput = {
		display_name: readDisplayName(form, problems),
		organisation: readOptional(form, 'organisation', ORGANISATION_MAX, problems),
		phone: readPhone(form, problems),
		preferred_language: isLocale(language) ? language : 'en'
	};
	return { values, problems, ok: !hasProblems(problems) };
}
