// Form input checks shared by the auth and profile forms. The same limits are
// schema constraints (profiles) or auth-server settings (password length).
import { problem, type Problem } from '$lib/i18n/problem';

export const PASSWORD_MIN = 8;
export const DISPLAY_NAME_MAX = 80;
export const ORGANISATION_MAX = 120;

export type FieldProblems = Partial<Record<string, Problem>>;

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

export function readEmail(form: FormData, problems: FieldProblems): string {
	const email = text(form, 'email').toLowerCase();
	if (!email) problems.email = problem('error_email_required');
	else if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
		problems.email = problem('error_email_invalid');
	return email;
}

export function readPassword(form: FormData, problems: FieldProblems, name = 'password'): string {
	const password = String(form.get(name) ?? '');
	if (password.length < PASSWORD_MIN) problems[name] = problem('error_password_short', { min: PASSWORD_MIN });
	return password;
}

export function readCode(form: FormData, problems: FieldProblems): string {
	// People copy codes with spaces ("123 456"); keep only the digits.
	const code = text(form, 'code').replace(/\s+/g, '');
	if (!/^\d{6}$/.test(code)) problems.code = problem('error_code_format');
	return code;
}

export function readDisplayName(form: FormData, problems: FieldProblems): string {
	const name = text(form, 'display_name');
	if (!name) problems.display_name = problem('error_name_required');
	else if (name.length > DISPLAY_NAME_MAX)
		problems.display_name = problem('error_name_long', { max: DISPLAY_NAME_MAX });
	return name;
}

export function readOptional(
	form: FormData,
	name: string,
	max: number,
	problems: FieldProblems
): string | null {
	const value = text(form, name);
	if (value.length > max) problems[name] = problem('error_name_long', { max });
	return value || null;
}

export function readPhone(form: FormData, problems: FieldProblems): string | null {
	const phone = text(form, 'phone');
	if (phone && !/^\+?[0-9 ().-]{6,20}$/.test(phone)) problems.phone = problem('error_phone_invalid');
	return phone || null;
}

export const hasProblems = (problems: FieldProblems) => Object.keys(problems).length > 0;
