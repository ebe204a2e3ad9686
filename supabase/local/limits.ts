// Every limit the local stack applies to what it accepts, in one place (the
// README's "Limits" tables list the same). Hosted Supabase has its own, set per
// project; these are chosen to be close to it or stricter, so that what works
// locally also works there, and so that one client cannot make the single
// PGlite session serve nobody else.

const KiB = 1024;
const MiB = 1024 * KiB;

export const LIMITS = {
	/** JSON bodies to /rest/v1 and /auth/v1 (and anything else but Storage): larger is a 413. */
	jsonBodyBytes: 1 * MiB,
	/** Largest file Storage accepts in any bucket (lite's global `file_size_limit`); buckets may set less. */
	fileBytes: 50 * MiB,
	/** Room for a multipart form's boundaries and fields around a file of `fileBytes`. */
	multipartOverheadBytes: 1 * MiB,
	/** One TUS PATCH (hosted Storage's chunk size; the app's TUS client sends pieces of this size). */
	tusChunkBytes: 6 * MiB,
	/** Rows in one insert/upsert to /rest/v1 (a JSON array, or CSV lines): more is a 413. */
	rowsPerWrite: 1000,
	/** Rows one read returns at most (PostgREST's db-max-rows; hosted's default API setting is 1000). */
	rowsPerRead: 1000,
	/** `data` / `user_metadata` given at sign-up or on a user update, as JSON: more is a 400. */
	userMetadataBytes: 16 * KiB,
	/** One Realtime broadcast or presence payload (hosted Free plan: 256 KB). */
	realtimePayloadBytes: 256 * KiB
} as const;
