// Form input checks shared by the auth and profile forms. The same limits are
// schema constraints (profiles) or auth-server settings (password length).
import { m } from '$lib/paraglide/messages';
import { readString, type Problems } from '$lib/ui/form';
import { cleanText } from '$lib/text/clean';
import { normaliseCode } from './phone';
import { PASSWORD_MIN, DISPLAY_NAME_MAX } from './limits';

const text = (form: FormData, name: string) => readString(form, name).trim();

export function readEmail(form: FormData, problems: Problems): string {
	const email = text(form, 'email').toLowerCase();
	if (!email) problems.email = m.error_email_required();
	else if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
		problems.email = m.error_email_invalid();
	return email;
}

export function readPassword(form: FormData, problems: Problems, name = 'password'): string {
	const password = readString(form, name);
	if (password.length < PASSWORD_MIN) problems[name] = m.error_password_short({ min: PASSWORD_MIN });
	return password;
}

/** A code carried in an email's link (`?code=`), to fill in the code field; anything else is ignored. */
export const linkedCode = (url: URL) => {
	const code = url.searchParams.get('code') ?? '';
	return /^\d{6}$/.test(code) ? code : '';
};

export function readCode(form: FormData, problems: Problems): string {
	// People copy codes with spaces ("123 456") and type them with Khmer digits (១២៣៤៥៦): digits 0-9 only.
	const code = normaliseCode(text(form, 'code'));
	if (!/^\d{6}$/.test(code)) problems.code = m.error_code_format();
	return code;
}

export function readDisplayName(form: FormData, problems: Problems): string {
	// Names show on every post: no bidi tricks, never only invisible characters.
	const { text: name, visible } = cleanText(readString(form, 'display_name'));
	if (!visible) problems.display_name = m.error_name_required();
	else if (name.length > DISPLAY_NAME_MAX)
		problems.display_name = m.error_name_long({ max: DISPLAY_NAME_MAX });
	return name;
}

export function readOptional(form: FormData, name: string, max: number, problems: Problems): string | null {
	const { text: value, visible } = cleanText(readString(form, name));
	if (value.length > max) problems[name] = m.error_name_long({ max });
	return visible ? value : null;
}

export function readPhone(form: FormData, problems: Problems): string | null {
	const phone = text(form, 'phone');
	if (phone && !/^\+?[0-9 ().-]{6,20}$/.test(phone)) problems.phone = m.error_phone_invalid();
	return phone || null;
}
