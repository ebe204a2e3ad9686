// What the stack does to /auth/v1 before and after lite, so that a browser (or
// a script) talking to the stack directly cannot brute force it, as hosted
// Supabase Auth does not let it (issue 20, item 9). lite alone answered 100
// passwords at 31/s and 300 codes at 87/s, and took the real code after them.
//
// - Per client address, token buckets as hosted GoTrue's (capacity 30,
//   refilled at the rate per 5 minutes below): sign-ins and sign-ups (password
//   grants, sign-ups, code and reset emails), code verifications, token
//   refreshes. Over it: 429 `over_request_rate_limit`, as hosted.
// - A code stops working after WRONG_CODE_TRIES wrong tries for its address
//   (any client address): the account's outstanding codes are cleared, and a
//   new code must be asked for. A new code (or a right one) starts the count over.
// - Sign-up answers an address that has an account as hosted does with email
//   confirmations on: 200 with a user that has no identities, nothing created.
//   lite answered 429, so the answer told who has an account. For an account
//   not confirmed yet, a new confirmation code is sent (as hosted).
// - Sign-up codes can be sent again (`/resend` type signup): lite always
//   answered 429, which, with codes that stop working, would strand an account.
//   At most one per minute per account (hosted's default email frequency).
//
// App servers throttle per person themselves and reach the stack from one
// address for everybody, so their addresses are not limited per address
// (`trustedAddresses`, loopback by default); the wrong-code count applies to
// everyone. Behind a reverse proxy, `addressHeader` names the header the
// proxy sets (e.g. x-forwarded-for; its last entry is used): the stack must
// then be reachable only through that proxy.
import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { EmailMessage } from '@supabase/lite';

const MINUTE = 60_000;

/** Hosted Supabase's defaults (Authentication → Rate Limits), per client address. */
export const AUTH_RATE_LIMITS = {
	/** POST /signup, /token?grant_type=password|pkce|id_token, /otp, /magiclink, /recover, /resend. */
	signInsAndSignUps: { per5Minutes: 30 },
	/** POST and GET /verify (codes and emailed links). */
	verifications: { per5Minutes: 30 },
	/** POST /token?grant_type=refresh_token. */
	tokenRefreshes: { per5Minutes: 150 }
} as const;
/** Requests a full bucket allows at once (hosted: 30). */
export const BURST = 30;
/** Wrong tries after which the account's outstanding codes stop working. */
export const WRONG_CODE_TRIES = 5;
/** Shortest gap between two sign-up codes sent again to one account (hosted's SMTP max frequency). */
export const RESEND_GAP_MS = MINUTE;
/** Loopback: the app server on the same machine (and tests, dev, preview). */
export const LOOPBACK = ['127.0.0.1', '::1'];

type Kind = keyof typeof AUTH_RATE_LIMITS;

export interface AuthLimitOptions {
	/** Addresses not limited per address (app servers); default loopback. */
	trustedAddresses?: string[];
	/** Read the client address from this header's last entry (behind a reverse proxy). */
	addressHeader?: string;
}

interface Parts {
	/** Owner SQL (through the database gate). */
	sql: <T>(query: string, params?: unknown[]) => Promise<T[]>;
	sendEmail: (message: EmailMessage) => Promise<void>;
	siteUrl: string;
	now?: () => number;
}

const tooMany = () =>
	Response.json(
		{ code: 429, error_code: 'over_request_rate_limit', msg: 'Request rate limit reached' },
		{ status: 429, headers: { 'x-sb-error-code': 'over_request_rate_limit' } }
	);

/** The stack's handling of /auth/v1 requests, around lite. */
export function createAuthLimits(options: AuthLimitOptions, parts: Parts) {
	const now = parts.now ?? Date.now;
	const trusted = new Set((options.trustedAddresses ?? LOOPBACK).map(plainAddress));
	const header = options.addressHeader?.toLowerCase();
	const buckets = new Map<string, { tokens: number; at: number }>();
	const wrongTries = new Map<string, number>();
	const lastResend = new Map<string, number>();

	function take(kind: Kind, address: string): boolean {
		const rate = AUTH_RATE_LIMITS[kind].per5Minutes / (5 * MINUTE);
		const key = `${kind} ${address}`;
		const t = now();
		const bucket = buckets.get(key) ?? { tokens: BURST, at: t };
		bucket.tokens = Math.min(BURST, bucket.tokens + (t - bucket.at) * rate);
		bucket.at = t;
		buckets.set(key, bucket);
		if (buckets.size > 100_000) sweep(t);
		if (bucket.tokens < 1) return false;
		bucket.tokens -= 1;
		return true;
	}
	/** Full buckets say nothing: forget them (an address seen once a long time ago). */
	function sweep(t: number) {
		for (const [key, bucket] of buckets) if (t - bucket.at > 5 * MINUTE) buckets.delete(key);
	}

	function addressOf(request: Request, peer: string | null): string {
		const forwarded = header ? request.headers.get(header)?.split(',').at(-1)?.trim() : undefined;
		return plainAddress(forwarded || peer || 'unknown');
	}

	/** Sends a new sign-up code to an account not confirmed yet (lite cannot). */
	async function resendSignUp(email: string): Promise<void> {
		const last = lastResend.get(email) ?? 0;
		if (now() - last < RESEND_GAP_MS) return;
		const [user] = await parts.sql<{ confirmed: boolean }>(
			`select confirmed_at is not null as confirmed from auth.users where lower(email) = $1`,
			[email]
		);
		if (!user || user.confirmed) return;
		lastResend.set(email, now());
		const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
		// lite's token: sha256 hex of the lower-cased address and the code.
		const hash = createHash('sha256')
			.update(email + code)
			.digest('hex');
		await parts.sql(
			`update auth.users set confirmation_token = $2, confirmation_sent_at = now() where lower(email) = $1`,
			[email, hash]
		);
		wrongTries.delete(email);
		const link = new URL('/auth/v1/verify', parts.siteUrl);
		link.search = new URLSearchParams({ token: hash, type: 'signup', redirect_to: parts.siteUrl }).toString();
		// Written as lite writes it; the mailbox rewrites it in the person's language.
		await parts.sendEmail({
			to: email,
			subject: 'Confirm Your Signup',
			text: `Confirm your signup\n\nEnter the code: ${code}\n\nOr follow this link: ${link}`
		});
	}

	/** A sign-up for an address that has an account: hosted's answer (no identities), nothing created. */
	async function existingSignUp(email: string): Promise<Response | null> {
		const [user] = await parts.sql<{ id: string }>(`select id from auth.users where lower(email) = $1`, [
			email
		]);
		if (!user) return null;
		await resendSignUp(email);
		const at = new Date(now()).toISOString();
		return Response.json({
			id: randomUUID(),
			aud: 'authenticated',
			role: 'authenticated',
			email,
			phone: '',
			confirmation_sent_at: at,
			app_metadata: { provider: 'email', providers: ['email'] },
			user_metadata: {},
			identities: [],
			created_at: at,
			updated_at: at,
			is_anonymous: false
		});
	}

	async function wrongCode(email: string) {
		const tries = (wrongTries.get(email) ?? 0) + 1;
		wrongTries.delete(email); // (re-inserted last: the oldest are forgotten first)
		wrongTries.set(email, tries);
		if (wrongTries.size > 100_000) wrongTries.delete(wrongTries.keys().next().value!);
		if (tries === WRONG_CODE_TRIES) {
			await parts.sql(
				`update auth.users set confirmation_token = null, recovery_token = null,
				   email_change_token_new = null, email_change_token_current = null, reauthentication_token = null
				 where lower(email) = $1`,
				[email]
			);
		}
	}

	return {
		async handle(
			request: Request,
			url: URL,
			peer: string | null,
			lite: (request: Request) => Promise<Response>
		): Promise<Response> {
			const endpoint = url.pathname.slice('/auth/v1'.length);
			const kind = kindOf(request.method, endpoint, url.searchParams.get('grant_type'));
			const address = addressOf(request, peer);
			if (kind && !trusted.has(address) && !take(kind, address)) return tooMany();
			if (request.method !== 'POST') return lite(request);

			const body = await readJson(request);
			const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : null;
			if (!email) return lite(request);
			if (endpoint === '/signup') {
				const existing = await existingSignUp(email);
				if (existing) return existing;
			}
			if (endpoint === '/resend' && body?.type === 'signup') {
				await resendSignUp(email);
				return Response.json({});
			}
			const response = await lite(request);
			if (endpoint === '/verify' && typeof body?.token === 'string') {
				if (response.ok) wrongTries.delete(email);
				else if (response.status === 403) await wrongCode(email); // otp_expired: wrong, used or expired
			} else if (response.ok && ['/signup', '/otp', '/magiclink', '/recover'].includes(endpoint)) {
				wrongTries.delete(email); // a new code: its own tries
			}
			return response;
		}
	};
}

function kindOf(method: string, endpoint: string, grant: string | null): Kind | null {
	if (endpoint === '/verify') return method === 'POST' || method === 'GET' ? 'verifications' : null;
	if (method !== 'POST') return null;
	if (endpoint === '/token') return grant === 'refresh_token' ? 'tokenRefreshes' : 'signInsAndSignUps';
	return ['/signup', '/otp', '/magiclink', '/recover', '/resend'].includes(endpoint)
		? 'signInsAndSignUps'
		: null;
}

/** An IPv4 address mapped into IPv6 (`::ffff:10.0.0.1`) is the IPv4 address. */
function plainAddress(address: string): string {
	return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

async function readJson(request: Request): Promise<Record<string, unknown> | null> {
	try {
		const value: unknown = await request.clone().json();
		return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
	} catch {
		return null;
	}
}
