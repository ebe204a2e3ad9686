// Phone sign-in for the local stack, which @supabase/lite 0.10 lacks: the
// GoTrue endpoints supabase-js calls with a `phone`, answering the same shapes
// and errors as hosted Supabase Auth (supabase/auth: internal/api/otp.go,
// signup.go, verify.go, phone.go, user.go), so the app's code runs unchanged
// on both:
//
//   POST /otp      {phone, create_user, data}   signInWithOtp({ phone })
//   POST /signup   {phone, password, data}      signUp({ phone, password })
//   POST /verify   {phone, token, type: sms | phone_change}
//   POST /resend   {phone, type: sms}
//   POST /token?grant_type=password {phone, password}
//   PUT  /user     {phone, …}                   updateUser({ phone }): a code to the new number
//   GET  /user, GET /settings                    lite's answers, with the phone fields GoTrue adds
//
// As GoTrue: numbers are kept without "+" in auth.users.phone (E.164 digits);
// a code is the sha224 of number + code in `confirmation_token` (or
// `phone_change_token`), sent at most once a minute per account
// (`over_sms_send_rate_limit`), good for SMS_OTP_EXPIRY_SECONDS; `/otp` for an
// unknown number creates the account (unless create_user is false:
// `otp_disabled`), for a number not confirmed yet it sends a new code; a right
// code confirms the number (`phone_confirmed_at`) and signs in.
//
// Sessions are lite's own: the stack lets lite redeem a one-time token it
// sets on the account for that single call (POST /verify type magiclink with a
// token_hash, lite's public API), so sessions, refresh tokens, JWTs, the audit
// log and last_sign_in_at are exactly what lite makes for email sign-ins. Any
// email code of the account waiting in that column is put back afterwards.
//
// The "SMS provider" is the SMS inbox (sms.ts). Like a provider with geo
// permissions, it delivers only to the countries in `countries` (default
// Vietnam and Cambodia; `--sms-countries`): others get `sms_send_failed` and
// no account is created. A code stops working after WRONG_CODE_TRIES wrong
// tries, as email codes do here (auth-limits.ts); per-address rate limits
// come from auth-limits.ts, which every /auth/v1 request passes first.
import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { WRONG_CODE_TRIES } from './auth-limits';
import { verifyJwt } from './jwt';
import { smsText, type SmsInbox } from './sms';

/** Where the local "provider" delivers (calling codes). The app has its own list (SMS_COUNTRIES). */
export const DEFAULT_SMS_COUNTRIES = ['84', '855'];
/** How long an SMS code works. Hosted's default is 60 s; the README recommends 600 for slow networks. */
export const SMS_OTP_EXPIRY_SECONDS = 600;
/** Shortest gap between two codes to one account (hosted's `sms.max_frequency`, 60 s). */
export const SMS_MAX_FREQUENCY_SECONDS = 60;
const MIN_PASSWORD = 8;

export interface PhoneAuthOptions {
	/** Calling codes the local SMS "provider" delivers to (default 84, 855). */
	countries?: string[];
	otpExpirySeconds?: number;
}

interface Parts {
	/** Owner SQL (through the database gate). */
	sql: <T>(query: string, params?: unknown[]) => Promise<T[]>;
	sms: SmsInbox;
	/** lite itself (no stack limits in between). */
	lite: (request: Request) => Promise<Response>;
	publishableKey: string;
	jwtSecret: string;
}

interface UserRow {
	id: string;
	phone: string | null;
	phone_confirmed_at: Date | string | null;
	phone_change: string | null;
	encrypted_password: string | null;
	language: string | null;
}

type Kind = 'confirmation' | 'phone_change';
const COLUMNS: Record<Kind, { token: string; sent: string }> = {
	confirmation: { token: 'confirmation_token', sent: 'confirmation_sent_at' },
	phone_change: { token: 'phone_change_token', sent: 'phone_change_sent_at' }
};

/** GoTrue's error body (what supabase-js reads as `error.code` and `error.message`). */
const refuse = (status: number, code: string, msg: string) =>
	Response.json({ code: status, error_code: code, msg }, { status, headers: { 'x-sb-error-code': code } });

const invalidPhone = () => refuse(400, 'validation_failed', 'Invalid phone number format (E.164 required)');
const badCode = () => refuse(403, 'otp_expired', 'Token has expired or is invalid');

/** GoTrue's validatePhone: "+" and spaces dropped, then E.164 digits. */
export function validatePhone(raw: unknown): string | null {
	if (typeof raw !== 'string') return null;
	const phone = raw.replace(/^\+/, '').replaceAll(' ', '');
	return /^[1-9][0-9]{1,14}$/.test(phone) ? phone : null;
}

/** GoTrue's token hash for phone codes: sha224 hex of number and code. */
export const phoneTokenHash = (phone: string, code: string) =>
	createHash('sha224')
		.update(phone + code)
		.digest('hex');

const iso = (value: Date | string | null | undefined) => (value ? new Date(value).toISOString() : undefined);

export function createPhoneAuth(options: PhoneAuthOptions, parts: Parts) {
	const { sql, sms } = parts;
	const countries = options.countries ?? DEFAULT_SMS_COUNTRIES;
	const expiry = options.otpExpirySeconds ?? SMS_OTP_EXPIRY_SECONDS;
	const wrongTries = new Map<string, number>();

	const userBy = async (column: 'phone' | 'phone_change' | 'id', value: string): Promise<UserRow | null> =>
		(
			await sql<UserRow>(
				`select id, phone, phone_confirmed_at, phone_change, encrypted_password,
				        raw_user_meta_data ->> 'preferred_language' as language
				   from auth.users where ${column} = $1`,
				[value]
			)
		)[0] ?? null;

	const delivered = (phone: string) => countries.some((code) => phone.startsWith(code));
	const undeliverable = (phone: string) =>
		refuse(400, 'sms_send_failed', `Error sending sms OTP: the SMS provider does not deliver to +${phone}`);

	/** A new code to `phone` for the account (at most one a minute); a refusal, or null when sent. */
	async function sendCode(user: UserRow, phone: string, kind: Kind): Promise<Response | null> {
		if (!delivered(phone)) return undeliverable(phone);
		const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
		const { token, sent } = COLUMNS[kind];
		// One statement: two requests at once cannot both pass the one-a-minute gap.
		const [stored] = await sql<{ id: string }>(
			`update auth.users set ${token} = $2, ${sent} = now()
			  where id = $1 and (${sent} is null or ${sent} <= now() - make_interval(secs => $3))
			  returning id`,
			[user.id, phoneTokenHash(phone, code), SMS_MAX_FREQUENCY_SECONDS]
		);
		if (!stored) {
			const [row] = await sql<{ wait: number }>(
				`select ceil(extract(epoch from ${sent} + make_interval(secs => $2) - now()))::int as wait
				   from auth.users where id = $1`,
				[user.id, SMS_MAX_FREQUENCY_SECONDS]
			);
			const seconds = Math.max(1, row?.wait ?? SMS_MAX_FREQUENCY_SECONDS);
			return refuse(
				429,
				'over_sms_send_rate_limit',
				`For security purposes, you can only request this after ${seconds} seconds.`
			);
		}
		wrongTries.delete(user.id);
		sms.send({ to: `+${phone}`, text: smsText(code, user.language), code, kind });
		return null;
	}

	/** A new account for a number (not confirmed until its code is typed), as GoTrue's phone sign-up makes it. */
	async function createUser(phone: string, password: string | null, data: unknown): Promise<UserRow> {
		const id = randomUUID();
		const metadata = {
			...(data && typeof data === 'object' && !Array.isArray(data) ? data : {}),
			sub: id,
			phone,
			email_verified: false,
			phone_verified: false
		};
		// One statement: the account and its phone identity exist together or not at all.
		await sql(
			`with account as (
			   insert into auth.users (id, aud, role, phone, encrypted_password, raw_user_meta_data, raw_app_meta_data)
			   values ($1::uuid, 'authenticated', 'authenticated', $2,
			           case when $3::text is null then null else extensions.crypt($3::text, extensions.gen_salt('bf')) end,
			           $4::jsonb, '{"provider":"phone","providers":["phone"]}'::jsonb)
			   returning id)
			 insert into auth.identities (id, provider, provider_id, user_id, identity_data, last_sign_in_at)
			 select $5::uuid, 'phone', account.id::text, account.id, $6::jsonb, now() from account`,
			[
				id,
				phone,
				password,
				JSON.stringify(metadata),
				randomUUID(),
				JSON.stringify({ sub: id, phone, email_verified: false, phone_verified: false })
			]
		);
		return (await userBy('id', id)) as UserRow;
	}

	/** The account's answer as GoTrue writes a user (sign-up without a session). */
	async function userAnswer(id: string): Promise<Record<string, unknown>> {
		const [row] = await sql<Record<string, unknown>>(
			`select u.*, coalesce((select json_agg(json_build_object(
			          'identity_id', i.id, 'id', i.provider_id, 'user_id', i.user_id,
			          'identity_data', i.identity_data, 'provider', i.provider,
			          'last_sign_in_at', i.last_sign_in_at, 'created_at', i.created_at, 'updated_at', i.updated_at))
			        from auth.identities i where i.user_id = u.id), '[]'::json) as identities
			   from auth.users u where u.id = $1`,
			[id]
		);
		const json = (value: unknown): unknown =>
			typeof value === 'string' ? (JSON.parse(value) as unknown) : (value ?? {});
		return withPhoneFields(
			{
				id: row.id,
				aud: row.aud ?? 'authenticated',
				role: row.role ?? 'authenticated',
				email: row.email ?? '',
				phone: row.phone ?? '',
				confirmation_sent_at: iso(row.confirmation_sent_at as string),
				app_metadata: json(row.raw_app_meta_data),
				user_metadata: json(row.raw_user_meta_data),
				identities: json(row.identities),
				created_at: iso(row.created_at as string),
				updated_at: iso(row.updated_at as string),
				is_anonymous: false
			},
			row
		);
	}

	/**
	 * lite's answers describe a user as an email account: `email_confirmed_at`
	 * even when only the number is confirmed, no `phone_confirmed_at`. Set them
	 * as GoTrue does, from the account's row.
	 */
	async function patchUser(user: Record<string, unknown>): Promise<Record<string, unknown>> {
		if (typeof user?.id !== 'string') return user;
		const [row] = await sql<Record<string, unknown>>(
			`select email_confirmed_at, phone, phone_confirmed_at, phone_change, phone_change_sent_at, confirmed_at
			   from auth.users where id = $1`,
			[user.id]
		);
		return row ? withPhoneFields(user, row) : user;
	}

	function withPhoneFields(user: Record<string, unknown>, row: Record<string, unknown>) {
		const out: Record<string, unknown> = { ...user, phone: row.phone ?? '' };
		if (row.phone_confirmed_at) out.phone_confirmed_at = iso(row.phone_confirmed_at as string);
		if (row.email_confirmed_at) out.email_confirmed_at = iso(row.email_confirmed_at as string);
		else delete out.email_confirmed_at;
		if (row.confirmed_at) out.confirmed_at = iso(row.confirmed_at as string);
		if (row.phone_change) {
			out.new_phone = row.phone_change;
			out.phone_change_sent_at = iso(row.phone_change_sent_at as string);
		}
		return out;
	}

	/** A session for the account, made by lite itself (see the top of this file). */
	async function session(userId: string): Promise<Response> {
		const hash = randomBytes(32).toString('hex');
		const [waiting] = await sql<{ token: string | null; sent_at: Date | string | null }>(
			`with old as (select id, recovery_token, recovery_sent_at from auth.users where id = $1 for update)
			 update auth.users u set recovery_token = $2, recovery_sent_at = now() from old where u.id = old.id
			 returning old.recovery_token as token, old.recovery_sent_at as sent_at`,
			[userId, hash]
		);
		try {
			const answer = await parts.lite(
				new Request('http://stack.internal/auth/v1/verify', {
					method: 'POST',
					headers: { apikey: parts.publishableKey, 'content-type': 'application/json' },
					body: JSON.stringify({ type: 'magiclink', token_hash: hash })
				})
			);
			if (!answer.ok) return answer;
			const body = (await answer.json()) as Record<string, unknown>;
			body.user = await patchUser(body.user as Record<string, unknown>);
			const headers = new Headers();
			for (const [name, value] of answer.headers)
				if (name.toLowerCase().startsWith('sb-auth-')) headers.set(name, value);
			return Response.json(body, { headers });
		} finally {
			// The account's email code (sign-in or reset) waiting in that column keeps working.
			await sql(
				`update auth.users set recovery_token = $2, recovery_sent_at = $3
				  where id = $1 and (recovery_token is null or recovery_token = $4)`,
				[userId, waiting?.token ?? null, waiting?.sent_at ?? null, hash]
			);
		}
	}

	async function wrongCode(userId: string, kind: Kind) {
		const tries = (wrongTries.get(userId) ?? 0) + 1;
		wrongTries.delete(userId);
		wrongTries.set(userId, tries);
		if (wrongTries.size > 100_000) wrongTries.delete(wrongTries.keys().next().value!);
		if (tries >= WRONG_CODE_TRIES) {
			await sql(`update auth.users set ${COLUMNS[kind].token} = null where id = $1`, [userId]);
		}
	}

	// ---- the endpoints -------------------------------------------------------

	async function otp(body: Record<string, unknown>): Promise<Response> {
		const phone = validatePhone(body.phone);
		if (!phone) return invalidPhone();
		const createUser_ = body.create_user !== false;
		let user = await userBy('phone', phone);
		if (!user && !createUser_) return refuse(422, 'otp_disabled', 'Signups not allowed for otp');
		if (!user) {
			// Checked first: an account is never created for a code that cannot be sent.
			if (!delivered(phone)) return undeliverable(phone);
			user = await createUser(phone, null, body.data);
		}
		const refused = await sendCode(user, phone, 'confirmation');
		if (refused) return refused;
		return Response.json(user.phone_confirmed_at ? { message_id: `local-${randomUUID()}` } : {});
	}

	async function signUp(body: Record<string, unknown>): Promise<Response> {
		const phone = validatePhone(body.phone);
		if (!phone) return invalidPhone();
		const password = typeof body.password === 'string' ? body.password : '';
		if (!password) return refuse(400, 'validation_failed', 'Signup requires a valid password');
		if (password.length < MIN_PASSWORD)
			return refuse(422, 'weak_password', `Password should be at least ${MIN_PASSWORD} characters.`);
		const existing = await userBy('phone', phone);
		if (existing?.phone_confirmed_at) {
			// Hosted, with confirmations on: an answer that says nothing (no identities, another id), nothing sent.
			const at = new Date().toISOString();
			return Response.json({
				id: randomUUID(),
				aud: 'authenticated',
				role: 'authenticated',
				email: '',
				phone,
				confirmation_sent_at: at,
				app_metadata: { provider: 'phone', providers: ['phone'] },
				user_metadata: {},
				identities: [],
				created_at: at,
				updated_at: at,
				is_anonymous: false
			});
		}
		if (!existing && !delivered(phone)) return undeliverable(phone);
		const user = existing ?? (await createUser(phone, password, body.data));
		const refused = await sendCode(user, phone, 'confirmation');
		// A number not confirmed yet gets a new code; within the minute, the answer is the same.
		if (refused && !(existing && refused.status === 429)) return refused;
		return Response.json(await userAnswer(user.id));
	}

	async function verify(body: Record<string, unknown>): Promise<Response> {
		const type = body.type;
		if (type !== 'sms' && type !== 'phone_change')
			return refuse(400, 'validation_failed', 'Unsupported verification type');
		const phone = validatePhone(body.phone);
		if (!phone) return invalidPhone();
		const token = typeof body.token === 'string' ? body.token.trim() : '';
		const kind: Kind = type === 'sms' ? 'confirmation' : 'phone_change';
		const user = await userBy(type === 'sms' ? 'phone' : 'phone_change', phone);
		if (!user) return badCode();
		const { token: column, sent } = COLUMNS[kind];
		// The code is used up by the statement that checks it: two tries at once cannot both pass.
		const claimed = await sql<{ id: string }>(
			kind === 'confirmation'
				? `update auth.users set ${column} = null, phone_confirmed_at = coalesce(phone_confirmed_at, now())
				    where id = $1 and ${column} = $2 and ${sent} > now() - make_interval(secs => $3) returning id`
				: `update auth.users set phone = phone_change, phone_change = null, ${column} = null,
				          phone_confirmed_at = now()
				    where id = $1 and ${column} = $2 and ${sent} > now() - make_interval(secs => $3) returning id`,
			[user.id, phoneTokenHash(phone, token), expiry]
		).catch((error: { code?: string }) => {
			if (error.code === '23505') return null; // the number was taken by another account meanwhile
			throw error;
		});
		if (claimed === null)
			return refuse(422, 'phone_exists', 'Phone number already registered by another user');
		if (!claimed.length) {
			await wrongCode(user.id, kind);
			return badCode();
		}
		wrongTries.delete(user.id);
		await confirmPhoneIdentity(user.id, phone);
		return session(user.id);
	}

	/** After a right code: the phone identity and metadata say the number is verified (GoTrue's ConfirmPhone). */
	async function confirmPhoneIdentity(userId: string, phone: string) {
		const data = JSON.stringify({ sub: userId, phone, phone_verified: true });
		const updated = await sql(
			`update auth.identities set identity_data = identity_data || $2::jsonb, updated_at = now()
			  where user_id = $1 and provider = 'phone' returning id`,
			[userId, data]
		);
		if (!updated.length) {
			await sql(
				`insert into auth.identities (id, provider, provider_id, user_id, identity_data, last_sign_in_at)
				 values ($1::uuid, 'phone', $2::text, $2::uuid, $3::jsonb || '{"email_verified":false}'::jsonb, now())`,
				[randomUUID(), userId, data]
			);
		}
		await sql(
			`update auth.users set
			   raw_user_meta_data = coalesce(raw_user_meta_data, '{}'::jsonb) || '{"phone_verified":true}'::jsonb,
			   raw_app_meta_data = jsonb_set(coalesce(raw_app_meta_data, '{}'::jsonb), '{providers}',
			     (select coalesce(jsonb_agg(distinct p), '[]'::jsonb) from jsonb_array_elements_text(
			        coalesce(raw_app_meta_data -> 'providers', '[]'::jsonb) || '["phone"]'::jsonb) p))
			 where id = $1`,
			[userId]
		);
	}

	async function resend(body: Record<string, unknown>): Promise<Response> {
		if (body.type !== 'sms')
			return refuse(400, 'validation_failed', 'Unsupported resend type for a phone number');
		const phone = validatePhone(body.phone);
		if (!phone) return invalidPhone();
		const user = await userBy('phone', phone);
		// Unknown and confirmed numbers: the same empty answer, nothing sent.
		if (user && !user.phone_confirmed_at) {
			const refused = await sendCode(user, phone, 'confirmation');
			if (refused) return refused;
		}
		return Response.json({});
	}

	async function passwordGrant(body: Record<string, unknown>): Promise<Response> {
		const phone = validatePhone(body.phone);
		const password = typeof body.password === 'string' ? body.password : '';
		const [match] = phone
			? await sql<{ id: string; confirmed: boolean }>(
					`select id, phone_confirmed_at is not null as confirmed from auth.users
					  where phone = $1 and encrypted_password is not null
					    and encrypted_password = extensions.crypt($2, encrypted_password)`,
					[phone, password]
				)
			: [];
		if (!match) return refuse(400, 'invalid_credentials', 'Invalid login credentials');
		if (!match.confirmed) return refuse(400, 'phone_not_confirmed', 'Phone not confirmed');
		return session(match.id);
	}

	/** PUT /user with a phone: a code to the new number (`phone_change`); the rest goes to lite. */
	async function updateUser(request: Request, body: Record<string, unknown>): Promise<Response> {
		const bearer = request.headers.get('authorization')?.replace(/^Bearer\s+/i, '') ?? '';
		let userId: string;
		try {
			userId = String(verifyJwt(bearer, parts.jwtSecret).claims.sub);
		} catch {
			return parts.lite(request); // lite answers a missing or bad token as it does for everything else
		}
		const phone = validatePhone(body.phone);
		if (!phone) return invalidPhone();
		const user = await userBy('id', userId);
		if (!user) return parts.lite(request);
		if (phone !== user.phone) {
			const owner = await userBy('phone', phone);
			if (owner) return refuse(422, 'phone_exists', 'Phone number already registered by another user');
		}
		const rest = Object.fromEntries(
			Object.entries(body).filter(([key]) => key !== 'phone' && key !== 'channel')
		);
		const headers = new Headers(request.headers);
		headers.delete('content-length');
		const answer = Object.keys(rest).length
			? await parts.lite(new Request(request.url, { method: 'PUT', headers, body: JSON.stringify(rest) }))
			: await parts.lite(new Request(request.url, { method: 'GET', headers }));
		if (!answer.ok) return answer;
		if (phone !== user.phone) {
			await sql(`update auth.users set phone_change = $2 where id = $1`, [userId, phone]);
			const refused = await sendCode(user, phone, 'phone_change');
			if (refused) return refused;
		}
		return Response.json(await patchUser((await answer.json()) as Record<string, unknown>));
	}

	return {
		/** The answer to a phone request; null: not one (lite answers it). */
		async handle(request: Request, url: URL): Promise<Response | null> {
			const endpoint = url.pathname.slice('/auth/v1'.length);
			if (endpoint === '/settings' && request.method === 'GET') {
				const answer = await parts.lite(request);
				const settings = (await answer.json()) as { external?: Record<string, boolean> };
				return Response.json({ ...settings, external: { ...settings.external, phone: true } });
			}
			if (endpoint === '/user' && request.method === 'GET') {
				const answer = await parts.lite(request);
				if (!answer.ok) return answer;
				return Response.json(await patchUser((await answer.json()) as Record<string, unknown>));
			}
			if (request.method !== 'POST' && !(endpoint === '/user' && request.method === 'PUT')) return null;
			const body = await readJson(request);
			if (!body || typeof body.phone !== 'string' || body.phone === '') return null;
			if (typeof body.email === 'string' && body.email !== '')
				return refuse(400, 'validation_failed', 'Only an email address or phone number should be provided');
			switch (endpoint) {
				case '/otp':
					return otp(body);
				case '/signup':
					return signUp(body);
				case '/verify':
					return verify(body);
				case '/resend':
					return resend(body);
				case '/token':
					return url.searchParams.get('grant_type') === 'password' ? passwordGrant(body) : null;
				case '/user':
					return updateUser(request, body);
			}
			return null;
		}
	};
}

async function readJson(request: Request): Promise<Record<string, unknown> | null> {
	try {
		const value: unknown = await request.clone().json();
		return value && typeof value === 'object' && !Array.isArray(value)
			? (value as Record<string, unknown>)
			: null;
	} catch {
		return null;
	}
}
