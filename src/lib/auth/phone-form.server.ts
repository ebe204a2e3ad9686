// Reading a phone number from a sign-in or sign-up form: the country chosen
// (or the page language's default), the number as typed, normalised to E.164
// (src/lib/auth/phone.ts); a translated problem when it cannot be used.
import { env } from '$env/dynamic/private';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { readString, type Problems } from '$lib/ui/form';
import { countryLabel } from './countries';
import { defaultCountry, normalisePhone, parseSmsCountries, type PhoneProblem } from './phone';

/** The countries codes are sent to: SMS_COUNTRIES (calling codes, e.g. "84,855,66"), default Vietnam and Cambodia. */
const smsCountries = () => parseSmsCountries(env.SMS_COUNTRIES);

/** What a phone form needs to render: the countries and the one chosen first. */
export const phoneFormChoices = () => {
	const countries = smsCountries();
	return { countries, country: defaultCountry(getLocale(), countries) };
};

/** Longer input than any number written with separators: refused unread. */
const TYPED_MAX = 40;

function phoneProblem(problem: PhoneProblem, country: string, allowed: readonly string[]): string {
	switch (problem) {
		case 'empty':
			return m.error_phone_required();
		case 'characters':
			return m.error_phone_characters();
		case 'too_short':
			return m.error_phone_too_short({ country: countryLabel(country) });
		case 'too_long':
			return m.error_phone_too_long({ country: countryLabel(country) });
		case 'not_mobile':
			return m.error_phone_not_mobile();
		case 'country_not_served':
			return m.error_phone_country({ countries: allowed.map(countryLabel).join(', ') });
	}
}

export interface PhoneInput {
	/** E.164 (+84901234567), or null when the number cannot be used (problems.phone says why). */
	e164: string | null;
	/** The calling code chosen (or found in the number). */
	country: string;
	/** What was typed, to give back with the problem. */
	typed: string;
}

export function readPhoneNumber(form: FormData, problems: Problems): PhoneInput {
	const allowed = smsCountries();
	const chosen = readString(form, 'country');
	const country = allowed.includes(chosen) ? chosen : defaultCountry(getLocale(), allowed);
	const typed = readString(form, 'phone').slice(0, TYPED_MAX + 1);
	if (typed.length > TYPED_MAX) {
		problems.phone = phoneProblem('too_long', country, allowed);
		return { e164: null, country, typed: typed.slice(0, TYPED_MAX) };
	}
	const result = normalisePhone(typed, country, allowed);
	if (!result.ok) {
		problems.phone = phoneProblem(result.problem, result.country, allowed);
		return { e164: null, country: allowed.includes(result.country) ? result.country : country, typed };
	}
	return { e164: result.e164, country: result.country, typed };
}
