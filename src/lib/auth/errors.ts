// Supabase Auth errors: first what kind of refusal it is (GoTrue's
// `error.code`, then the HTTP status and message, so hosted Supabase and the
// local stack are read alike), then the translated message for it.
import type { AuthError } from '@supabase/supabase-js';
import { m } from '$lib/paraglide/messages';
import { PASSWORD_MIN } from './limits';

export type AuthRefusal =
	| 'credentials'
	| 'email_not_confirmed'
	| 'user_exists'
	| 'password_weak'
	| 'password_short'
	| 'no_account'
	| 'code_invalid'
	| 'rate_limit'
	| 'email_invalid'
	/** The SMS could not be sent (provider refused, phone provider off). */
	| 'sms_failed'
	| 'network'
	| 'generic';

type AnyAuthError = AuthError | Error | null | undefined;

export function authRefusal(error: AnyAuthError): AuthRefusal {
	const code = (error as AuthError | null)?.code ?? '';
	const status = (error as AuthError | null)?.status ?? 0;
	const message = error?.message?.toLowerCase() ?? '';
	switch (code) {
		case 'invalid_credentials':
			return 'credentials';
		case 'email_not_confirmed':
			return 'email_not_confirmed';
		case 'user_already_exists':
		case 'email_exists':
		case 'phone_exists':
			return 'user_exists';
		case 'weak_password':
			return 'password_weak';
		case 'otp_expired':
		case 'otp_disabled':
			return message.includes('signup') ? 'no_account' : 'code_invalid';
		case 'over_email_send_rate_limit':
		case 'over_sms_send_rate_limit':
		case 'over_request_rate_limit':
			return 'rate_limit';
		case 'email_address_invalid':
		case 'validation_failed':
			return 'email_invalid';
		case 'user_not_found':
			return 'no_account';
		case 'sms_send_failed':
		case 'phone_provider_disabled':
			return 'sms_failed';
	}
	if (message.includes('signups not allowed')) return 'no_account';
	if (message.includes('invalid login credentials')) return 'credentials';
	if (message.includes('already registered') || message.includes('already exists')) return 'user_exists';
	if (message.includes('password') && (message.includes('short') || message.includes('least')))
		return 'password_short';
	if (message.includes('token') || message.includes('otp') || message.includes('expired'))
		return 'code_invalid';
	if (status === 429) return 'rate_limit';
	if (error?.name === 'AuthRetryableFetchError' || message.includes('fetch failed')) return 'network';
	return 'generic';
}

export function authMessage(refusal: AuthRefusal): string {
	switch (refusal) {
		case 'credentials':
			return m.error_credentials();
		case 'email_not_confirmed':
			return m.error_email_not_confirmed();
		case 'user_exists':
			return m.error_user_exists();
		case 'password_weak':
			return m.error_password_weak();
		case 'password_short':
			return m.error_password_short({ min: PASSWORD_MIN });
		case 'no_account':
			return m.error_no_account();
		case 'code_invalid':
			return m.error_code_invalid();
		case 'rate_limit':
			return m.error_rate_limit();
		case 'email_invalid':
			return m.error_email_invalid();
		case 'sms_failed':
			return m.error_sms_failed();
		case 'network':
			return m.error_network();
		case 'generic':
			return m.error_generic();
	}
}

export const authProblem = (error: AnyAuthError) => authMessage(authRefusal(error));

/** A refused one-time code: wrong, expired or already used; only rate limits and network differ. */
export function codeProblem(error: AnyAuthError): string {
	const refusal = authRefusal(error);
	return authMessage(refusal === 'rate_limit' || refusal === 'network' ? refusal : 'code_invalid');
}

/**
 * Sign-up answers never say whether an address is taken (so addresses cannot
 * be probed): hosted Supabase and the local stack answer a taken address with
 * a user without identities, which the sign-up action treats as a new one.
 * A rate limit, or an auth server that says the user exists after all, gets
 * one message that covers both cases.
 */
export function signUpRefusal(error: AnyAuthError): {
	field: 'password' | 'email' | 'form';
	message: string;
} {
	const refusal = authRefusal(error);
	if (refusal === 'rate_limit' || refusal === 'user_exists')
		return { field: 'form', message: m.error_signup_blocked() };
	const field =
		refusal === 'password_weak' || refusal === 'password_short'
			? 'password'
			: refusal === 'email_invalid'
				? 'email'
				: 'form';
	return { field, message: authMessage(refusal) };
}
