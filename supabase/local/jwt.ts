// The local stack's JWTs: lite signs user tokens with the stack's HS256 secret;
// the Realtime server (channel identities), the TUS endpoint (who uploads) and
// the database gate's "as this user" calls verify them here, in one place.
// Error texts follow hosted Realtime (RealtimeWeb.ChannelsAuthorization and
// RealtimeChannel), so clients and logs read the same locally and in production.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface Identity {
	role: string;
	claims: Record<string, unknown>;
	/** Expiry in seconds since the epoch; null for API-key identities (they do not expire). */
	exp: number | null;
	/** The raw token (null when the identity comes from the API key). */
	token: string | null;
	/** Same key = same database answer, so authorization checks run once per key. */
	key: string;
}

export class AuthError extends Error {
	constructor(
		readonly code: string,
		message: string
	) {
		super(message);
	}
	/** The `reason` hosted Realtime puts in a join error. */
	get reason(): string {
		return `${this.code}: ${this.message}`;
	}
}

/**
 * Hosted Supabase's API gateway turns an `sb_publishable_…` key into an anon JWT and an
 * `sb_secret_…` key into a service_role JWT before Realtime sees them; do the same.
 */
export function apiKeyIdentity(role: 'anon' | 'service_role'): Identity {
	return { role, claims: { role, iss: 'supabase' }, exp: null, token: null, key: `apikey:${role}` };
}

const HMAC: Record<string, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

export function verifyJwt(token: string, secret: string, nowSeconds = Date.now() / 1000): Identity {
	const malformed = new AuthError('MalformedJWT', 'The token provided is not a valid JWT');
	const parts = token.trim().split('.');
	if (parts.length !== 3) throw malformed;
	const [headerPart, claimsPart, signaturePart] = parts;
	const header = parseJsonPart(headerPart);
	const claims = parseJsonPart(claimsPart);
	if (!header || !claims) throw malformed;

	const algorithm = typeof header.alg === 'string' ? HMAC[header.alg] : undefined;
	// The local stack signs with one HMAC secret; asymmetric keys (JWKS) do not exist here.
	if (!algorithm) {
		throw new AuthError(
			'JwtSignerError',
			'Failed to generate JWT signer, check your JWT secret or JWKS configuration'
		);
	}
	const expected = createHmac(algorithm, secret).update(`${headerPart}.${claimsPart}`).digest();
	const given = Buffer.from(signaturePart, 'base64url');
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
		throw new AuthError('JwtSignatureError', 'Failed to validate JWT signature');
	}

	const now = Math.floor(nowSeconds);
	if (typeof claims.exp === 'number' && !(claims.exp > now)) {
		throw new AuthError('InvalidJWTToken', `Token has expired ${now - Math.round(claims.exp)} seconds ago`);
	}
	if (typeof claims.role !== 'string' || typeof claims.exp !== 'number') {
		throw new AuthError('InvalidJWTToken', 'Fields `role` and `exp` are required in JWT');
	}
	return { role: claims.role, claims, exp: Math.round(claims.exp), token, key: `jwt:${token}` };
}

function parseJsonPart(part: string): Record<string, unknown> | null {
	try {
		const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
		return typeof value === 'object' && value !== null && !Array.isArray(value)
			? (value as Record<string, unknown>)
			: null;
	} catch {
		return null;
	}
}
