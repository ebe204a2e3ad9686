// Phone numbers the way people write them, to E.164 (+84901234567): a leading
// 0 (the national trunk prefix), spaces, dots, dashes and brackets, Khmer
// (០-៩) and other scripts' digits, a +84 / 0084 / 84 written in front. The
// country comes from the number when it says one, else from the country
// chosen on the form, which defaults from the page's language (vi → +84,
// km → +855; en → +84, because most of the network's members and all its
// women's clubs are in Vietnam, and the English readers are staff of both).
//
// Shared by the server (the form actions) and the pages (the country list);
// no dependencies: a full numbering-plan library (libphonenumber, ~150 KB)
// would be more than this app needs for the few countries it sends SMS to.

/** Country calling code → what a mobile number there looks like after the code. */
export interface CountryRule {
	/** Calling code without "+", e.g. "84". */
	code: string;
	/** Shortest and longest national number (after the code, without the leading 0). */
	min: number;
	max: number;
	/** National numbers that can receive an SMS (mobile ranges), when known. */
	mobile?: RegExp;
}

const COUNTRY_RULES: Record<string, CountryRule> = {
	// Vietnam: mobiles are 9 digits after +84 (03x, 05x, 07x, 08x, 09x written with the 0);
	// landlines (02x) have 10 and cannot receive SMS.
	'84': { code: '84', min: 9, max: 9, mobile: /^[35789]/ },
	// Cambodia: mobiles are 8 or 9 digits after +855 (012 345 678, 097 123 4567);
	// landlines start with the area code 2x–7x followed by 6 digits, so 8 digits too:
	// the length cannot tell them apart, the SMS gateway can.
	'855': { code: '855', min: 8, max: 9, mobile: /^[1-9]/ },
	// Others that SMS_COUNTRIES may add: Laos, Thailand, Myanmar (mobiles), then any.
	'856': { code: '856', min: 9, max: 10, mobile: /^20/ },
	'66': { code: '66', min: 9, max: 9, mobile: /^[689]/ },
	'95': { code: '95', min: 8, max: 10, mobile: /^9/ }
};
/** Any other calling code: E.164 allows 15 digits in all. */
const GENERIC = { min: 6, max: 12 };

/** The countries the network works in: where codes are sent unless SMS_COUNTRIES says otherwise. */
export const DEFAULT_SMS_COUNTRIES = ['84', '855'] as const;

/** `SMS_COUNTRIES=84,855,66` → ['84', '855', '66'] (digits only; empty or nonsense → the default). */
export function parseSmsCountries(value: string | undefined | null): string[] {
	const codes = (value ?? '')
		.split(/[\s,;]+/)
		.map((code) => code.replace(/^\+/, ''))
		.filter((code) => /^[1-9]\d{0,2}$/.test(code));
	return codes.length ? [...new Set(codes)] : [...DEFAULT_SMS_COUNTRIES];
}

/** The country a form offers first, from the page's language. */
export function defaultCountry(locale: string, allowed: readonly string[] = DEFAULT_SMS_COUNTRIES): string {
	const wanted = locale === 'km' ? '855' : '84';
	return allowed.includes(wanted) ? wanted : (allowed[0] ?? wanted);
}

// The zero of each script's decimal digits that people here may type (Unicode
// keeps the ten digits of a script in a row). Khmer phones' keyboards type
// ០-៩; Thai, Lao, Myanmar for neighbours; Arabic-Indic and full-width digits
// come from copy and paste.
const DIGIT_ZEROS = [0x30, 0x660, 0x6f0, 0x966, 0x9e6, 0xe50, 0xed0, 0x1040, 0x1090, 0x17e0, 0x1810, 0xff10];

/** Every digit in any of those scripts as 0-9; anything else unchanged. */
export function toAsciiDigits(text: string): string {
	let out = '';
	for (const char of text) {
		const point = char.codePointAt(0)!;
		const zero = DIGIT_ZEROS.find((z) => point >= z && point <= z + 9);
		out += zero === undefined ? char : String(point - zero);
	}
	return out;
}

// What people put between digits: spaces of every kind, dots, dashes, brackets, slashes.
const SEPARATORS = /[\s\p{Zs}.\-‐‑‒–—()[\]/\\]/gu;

export type PhoneProblem =
	| 'empty'
	/** Letters or signs that are not part of a number. */
	| 'characters'
	| 'too_short'
	| 'too_long'
	/** A landline or another number that cannot receive an SMS. */
	| 'not_mobile'
	/** A country we do not send codes to (SMS_COUNTRIES). */
	| 'country_not_served';

export type PhoneResult =
	| { ok: true; e164: string; country: string; national: string }
	| { ok: false; problem: PhoneProblem; country: string };

const rule = (country: string) => COUNTRY_RULES[country] ?? { code: country, ...GENERIC };

/** The calling code at the start of international digits (the longest allowed or known one). */
function callingCodeOf(digits: string, allowed: readonly string[]): string | null {
	const known = [...new Set([...allowed, ...Object.keys(COUNTRY_RULES)])].sort((a, b) => b.length - a.length);
	return known.find((code) => digits.startsWith(code)) ?? null;
}

/**
 * Reads a phone number typed for `country` (a calling code such as "84").
 * A number written with +, 00 or its calling code wins over the chosen
 * country; one with a leading 0 is national.
 */
export function normalisePhone(input: string, country: string, allowed: readonly string[]): PhoneResult {
	const typed = toAsciiDigits(input.normalize('NFKC')).replace(SEPARATORS, '');
	if (!typed) return { ok: false, problem: 'empty', country };
	if (!/^\+?\d+$/.test(typed)) return { ok: false, problem: 'characters', country };
	let digits = typed.replace(/^\+/, '');
	let international = typed.startsWith('+');
	if (!international && digits.startsWith('00')) {
		digits = digits.slice(2);
		international = true;
	}
	let code = country;
	let national: string;
	if (international) {
		const found = callingCodeOf(digits, allowed);
		if (!found) return { ok: false, problem: 'country_not_served', country };
		code = found;
		national = digits.slice(found.length);
	} else if (digits.startsWith('0')) {
		national = digits.slice(1);
	} else if (digits.startsWith(country) && digits.length - country.length >= rule(country).min) {
		// "84901234567": the calling code without the +.
		national = digits.slice(country.length);
	} else {
		national = digits;
	}
	// "+84 0901…": people keep the trunk 0 after the code.
	national = national.replace(/^0/, '');
	if (!allowed.includes(code)) return { ok: false, problem: 'country_not_served', country: code };
	const { min, max, mobile } = rule(code);
	if (national.length < min) return { ok: false, problem: 'too_short', country: code };
	if (national.length > max || code.length + national.length > 15)
		return { ok: false, problem: 'too_long', country: code };
	if (mobile && !mobile.test(national)) return { ok: false, problem: 'not_mobile', country: code };
	return { ok: true, e164: `+${code}${national}`, country: code, national };
}

/** An E.164 number as GoTrue stores and answers it ("84901234567", no +) back to "+84901234567". */
export const fromAuthPhone = (phone: string | null | undefined) =>
	phone ? (phone.startsWith('+') ? phone : `+${phone}`) : '';

/** "+84901234567" → "+84 90 123 45 67"-like groups, for reading (never stored). */
export function formatPhone(e164: string): string {
	const digits = e164.replace(/^\+/, '');
	const code = callingCodeOf(digits, Object.keys(COUNTRY_RULES)) ?? digits.slice(0, 2);
	const national = digits.slice(code.length);
	const groups =
		national.length > 6 ? [national.slice(0, -6), national.slice(-6, -3), national.slice(-3)] : [national];
	return `+${code} ${groups.filter(Boolean).join(' ')}`;
}

/**
 * The block of numbers a number belongs to: its calling code and national
 * number without the last four digits (10,000 numbers). SMS pumping buys a
 * range of premium numbers and asks codes for one after another, so codes
 * sent to one block are limited together (src/lib/auth/throttle.server.ts).
 */
export function numberBlock(e164: string): string {
	return e164.slice(0, Math.max(4, e164.length - 4));
}

/** A 6-digit code as typed: spaces, dashes and Khmer or other digits allowed. */
export function normaliseCode(input: string): string {
	return toAsciiDigits(input.normalize('NFKC')).replace(SEPARATORS, '');
}
