// Supabase Auth errors, as a translated message. Codes first (GoTrue's
// `error.code`), then the HTTP status, so hosted Supabase and the local
// stack give people the same message.
import type { AuthError } from '@supabase/supabase-js';
import { problem, type Problem } from '$lib/i18n/problem';
import { PASSWORD_MIN } from './validation';

export function authProblem(error: AuthError | Error | null | undefined): Problem {
	const code = (error as AuthError | null)?.code ?? '';
	const status = (error as AuthError | null)?.status ?? 0;
	const message = error?.message?.toLowerCase() ?? '';
	switch (code) {
		case 'invalid_credentials':
			return problem('error_credentials');
		case 'email_not_confirmed':
			return problem('error_email_not_confirmed');
		case 'user_already_exists':
		case 'email_exists':
			return problem('error_user_exists');
		case 'weak_password':
			return problem('error_password_weak');
		case 'otp_expired':
		case 'otp_disabled':
			return message.includes('signup') ? problem('error_no_account') : problem('error_code_invalid');
		case 'over_email_send_rate_limit':
		case 'over_request_rate_limit':
			return problem('error_rate_limit');
		case 'email_address_invalid':
		case 'validation_failed':
			return problem('error_email_invalid');
		case 'user_not_found':
			return problem('error_no_account');
	}
	if (message.includes('signups not allowed')) return problem('error_no_account');
	if (message.includes('invalid login credentials')) return problem('error_credentials');
	if (message.includes('already registered') || message.includes('already exists'))
		return problem('error_user_exists');
	if (message.includes('password') && (message.includes('short') || message.includes('least'))) {
		return problem('error_password_short', { min: PASSWORD_MIN });
	}
	if (message.includes('token') || message.includes('otp') || message.includes('expired'))
		return problem('error_code_invalid');
	if (status === 429) return problem('error_rate_limit');
	if (error?.name === 'AuthRetryableFetchError' || message.includes('fetch failed'))
		return problem('error_network');
	return problem('error_generic');
}

/** A refused one-time code: wrong, expired or already used; only rate limits and network differ. */
export function codeProblem(error: AuthError | Error | null | undefined): Problem {
	const general = authProblem(error);
	return general.key === 'error_rate_limit' || general.key === 'error_network'
		? general
		: problem('error_code_invalid');
}

/**
 * Sign-up answers never say whether an address is taken (so addresses cannot
 * be probed): hosted Supabase returns a user without identities, the local
 * stack a rate-limit error. Both get one message that covers both cases.
 */
export function signUpProblem(error: AuthError | Error | null | undefined): Problem {
	const general = authProblem(error);
	return general.key === 'error_rate_limit' || general.key === 'error_user_exists'
		? problem('error_signup_blocked')
		: general;
}
