// Codes by SMS: asking Supabase Auth to send one (sign-in, sign-up, again)
// and typing it in, with the per-number, per-address and per-block limits
// (throttle.server.ts) around each. Used by /sign-in/phone, /sign-up/phone
// and the code page (/verify?type=sms).
import { redirect, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { hasProblems, refuse, type Problems } from '$lib/ui/form';
import { withInvite } from '$lib/spaces/invite-code';
import { landingAfterSignIn } from '$lib/spaces/invitation.server';
import { authMessage, authRefusal } from './errors';
import { readPhoneNumber } from './phone-form.server';
import { adoptProfileChoices } from './session';
import { checkSmsCode, countPhoneSignedIn, countSmsFailure, takeSms } from './throttle.server';
import { readCode } from './validation';
import type { Client } from '$lib/supabase/types';

type Event = Pick<RequestEvent, 'getClientAddress' | 'locals' | 'cookies' | 'url' | 'request'>;

/** The code page for a number (its address carries the invite along). */
export const smsCodePage = (e164: string, invite: string | null, signUp: boolean) =>
	withInvite(`/verify?type=sms&phone=${encodeURIComponent(e164)}${signUp ? '&new=1' : ''}`, invite);

/**
 * Asks for a code to `e164`: `create` makes the account (not confirmed until
 * its code is typed) when the number has none, with `data` as its metadata.
 * Returns what to say when nothing was sent, or null. A number without an
 * account gets the same answer as one with (who is a member stays private);
 * so does one that just got a code (it is still good) unless `again`.
 */
export async function sendSmsCode(
	event: Event,
	e164: string,
	{
		create,
		data,
		again = false,
		client = event.locals.supabase
	}: {
		create: boolean;
		data?: Record<string, unknown>;
		again?: boolean;
		/** A client that keeps no session, where the code must not touch the person's own (a confirmation). */
		client?: Client;
	}
): Promise<{ status: number; message: string } | null> {
	const paused = await takeSms(event, e164);
	if (paused) return { status: 429, message: paused };
	const { error } = await client.auth.signInWithOtp({
		phone: e164,
		options: { shouldCreateUser: create, data, channel: 'sms' }
	});
	if (!error) return null;
	const refused = authRefusal(error);
	if (refused === 'no_account' || (refused === 'rate_limit' && !again)) return null;
	if (refused === 'rate_limit' || refused === 'network' || refused === 'sms_failed')
		return { status: 503, message: authMessage(refused) };
	console.error(`sms: Supabase Auth refused a code: ${error.code ?? error.status} ${error.message}`);
	return { status: 503, message: m.error_sms_failed() };
}

/** The code page's "Confirm" for an SMS code: signs in (or confirms the new account), then lands. */
export async function verifySmsCode(event: Event) {
	const { request, locals, cookies, url } = event;
	const form = await request.formData();
	const problems: Problems = {};
	const { e164, typed } = readPhoneNumber(form, problems);
	const code = readCode(form, problems);
	const kept = { phone: typed, code };
	if (hasProblems(problems) || !e164) return refuse(400, problems, kept);
	const gate = await checkSmsCode(event, e164);
	if (gate.paused) return refuse(429, { code: gate.paused }, kept);
	if (gate.newCode) return refuse(429, { code: m.error_code_ask_new() }, kept);
	const { data, error } = await locals.supabase.auth.verifyOtp({ phone: e164, token: code, type: 'sms' });
	if (error || !data.user) {
		const refused = authRefusal(error);
		if (refused !== 'network') await countSmsFailure(event, e164);
		const message =
			refused === 'network' || refused === 'rate_limit' ? authMessage(refused) : m.error_code_invalid_sms();
		return refuse(400, { code: message }, kept);
	}
	await countPhoneSignedIn(event, e164);
	await adoptProfileChoices(locals.supabase, data.user.id, cookies);
	redirect(303, await landingAfterSignIn(locals.supabase, cookies, url, data.user));
}

/** "Send a new code" on the code page. */
export async function resendSmsCode(event: Event) {
	const form = await event.request.formData();
	const problems: Problems = {};
	const { e164, typed } = readPhoneNumber(form, problems);
	if (hasProblems(problems) || !e164) return refuse(400, problems, { phone: typed });
	const problem = await sendSmsCode(event, e164, { create: false, again: true });
	if (problem) return refuse(problem.status, problem.message, { phone: typed });
	return { phone: typed, resent: true };
}

/**
 * A code to `e164` for adding it to the signed-in account (`phone_change`);
 * what to say when nothing was sent, or null. A number that signs in to
 * another account is said so (to a signed-in person, as Supabase Auth does).
 */
export async function requestPhoneChange(
	event: Event,
	e164: string
): Promise<{ status: number; message: string } | null> {
	const paused = await takeSms(event, e164);
	if (paused) return { status: 429, message: paused };
	const { error } = await event.locals.supabase.auth.updateUser({ phone: e164 });
	if (!error) return null;
	const refused = authRefusal(error);
	if (refused === 'user_exists') return { status: 409, message: m.error_phone_taken() };
	if (refused === 'rate_limit' || refused === 'network' || refused === 'sms_failed')
		return { status: 503, message: authMessage(refused) };
	console.error(`sms: Supabase Auth refused a phone change: ${error.code ?? error.status} ${error.message}`);
	return { status: 503, message: m.error_sms_failed() };
}

/** The code page's "Confirm" for a number being added: the number now signs in too. */
export async function verifyPhoneChange(event: Event) {
	const { request, locals } = event;
	const form = await request.formData();
	const problems: Problems = {};
	const { e164, typed } = readPhoneNumber(form, problems);
	const code = readCode(form, problems);
	const kept = { phone: typed, code };
	if (hasProblems(problems) || !e164) return refuse(400, problems, kept);
	const gate = await checkSmsCode(event, e164);
	if (gate.paused) return refuse(429, { code: gate.paused }, kept);
	if (gate.newCode) return refuse(429, { code: m.error_code_ask_new() }, kept);
	const { data, error } = await locals.supabase.auth.verifyOtp({
		phone: e164,
		token: code,
		type: 'phone_change'
	});
	if (error || !data.user) {
		const refused = authRefusal(error);
		if (refused !== 'network') await countSmsFailure(event, e164);
		const message =
			refused === 'user_exists'
				? m.error_phone_taken()
				: refused === 'network' || refused === 'rate_limit'
					? authMessage(refused)
					: m.error_code_invalid_sms();
		return refuse(400, { code: message }, kept);
	}
	redirect(303, '/profile?notice=phone-added');
}

/** "Send a new code" for a number being added. */
export async function resendPhoneChange(event: Event) {
	const form = await event.request.formData();
	const problems: Problems = {};
	const { e164, typed } = readPhoneNumber(form, problems);
	if (hasProblems(problems) || !e164) return refuse(400, problems, { phone: typed });
	const problem = await requestPhoneChange(event, e164);
	if (problem) return refuse(problem.status, problem.message, { phone: typed });
	return { phone: typed, resent: true };
}
