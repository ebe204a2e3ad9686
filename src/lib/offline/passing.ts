/**
 * An HTTP status that says "not now" rather than "no": the request timed out,
 * too many came at once, or the server could not answer. A write that gets
 * one is tried again later under the same id; it is never a refusal.
 */
export const passingStatus = (status: number | undefined) =>
	status !== undefined && (status === 408 || status === 429 || status >= 500);
