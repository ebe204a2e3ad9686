// "Is it really her?" before her account is deleted: her password again, or,
// for an account that signs in by phone only, a code sent to that phone by
// SMS. Both are checked on a client that keeps no session (nothing reaches her
// cookies) and counted by the sign-in throttle like a sign-in, so the deletion
// page is no way round the sign-in limits.
import type { RequestEvent } from '@sveltejs/kit';
import type { User } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages';
import { readString, type Problems } from '$lib/ui/form';
import { checkStep, checkSmsCode, countFailure, countSmsFailure } from '$lib/auth/throttle.server';
import { sendSmsCode } from '$lib/auth/sms.server';
import { readCode } from '$lib/auth/validation';
import { sessionlessClient } from '$lib/server/supabase';

/** Her phone number in E.164 when the account has a phone and no email (Supabase Auth stores it without "+"). */
export const phoneOnlyNumber = (user: User): string | null =>
	!user.email && user.phone ? `+${user.phone.replace(/^\+/, '')}` : null;

/** Sends the confirmation code to a phone-only account's own number. Returns what to say when none was sent. */
export async function sendDeletionCode(event: RequestEvent, user: User): Promise<string | null> {
	const e164 = phoneOnlyNumber(user);
	if (!e164) return m.account_error_confirm();
	const problem = await sendSmsCode(event, e164, {
		create: false,
		again: true,
		client: sessionlessClient(event.fetch)
	});
	return problem?.message ?? null;
}

/**
 * Checks the password (or, phone-only, the SMS code) in the form. Returns the
 * problems to show, or null when it is her: the status says which refusal.
 */
export async function confirmIdentity(
	event: RequestEvent,
	user: User,
	form: FormData
): Promise<{ status: number; problems: Problems } | null> {
	const checker = sessionlessClient(event.fetch);
	const e164 = phoneOnlyNumber(user);
	if (e164) {
		const problems: Problems = {};
		const code = readCode(form, problems);
		if (problems.code) return { status: 400, problems };
		const gate = await checkSmsCode(event, e164);
		if (gate.paused) return { status: 429, problems: { code: gate.paused } };
		if (gate.newCode) return { status: 429, problems: { code: m.error_code_ask_new() } };
		const { data, error } = await checker.auth.verifyOtp({ phone: e164, token: code, type: 'sms' });
		if (error || data.user?.id !== user.id) {
			await countSmsFailure(event, e164);
			return { status: 400, problems: { code: m.error_code_invalid_sms() } };
		}
		await checker.auth.signOut({ scope: 'local' });
		return null;
	}
	if (!user.email) return { status: 400, problems: { form: m.account_error_confirm() } };
	const password = readString(form, 'password');
	if (!password) return { status: 400, problems: { password: m.error_required() } };
	const gate = await checkStep(event, 'password', user.email);
	if (gate.paused) return { status: 429, problems: { password: gate.paused } };
	const { data, error } = await checker.auth.signInWithPassword({ email: user.email, password });
	if (error || data.user?.id !== user.id) {
		await countFailure(event, 'password', user.email);
		return { status: 400, problems: { password: m.account_error_password() } };
	}
	await checker.auth.signOut({ scope: 'local' });
	return null;
}
