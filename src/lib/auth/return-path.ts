// Where to send a person after signing in or changing language: only ever a
// page of this site (no open redirects). Browsers ignore tabs and line breaks
// inside URLs, so "/\t/evil.example" would become "//evil.example", another
// site; a line break in a Location header is a 500. Anything with a control or
// space character is refused outright, then the path is resolved against this
// site and must stay on it.
const ORIGIN = 'http://sahakum.invalid';
// C0/C1 controls, every Unicode space and line/paragraph separator, zero-width and bidi marks, BOM.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Z}\s]/u;

export function safeReturnPath(value: unknown, fallback = '/'): string {
	if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return fallback;
	if (UNSAFE.test(value) || !value.startsWith('/') || value.startsWith('//') || value.includes('\\'))
		return fallback;
	let target: URL;
	try {
		target = new URL(value, ORIGIN);
	} catch {
		return fallback;
	}
	if (target.origin !== ORIGIN) return fallback;
	const path = target.pathname + target.search + target.hash;
	// Resolving may still produce "//x" (e.g. "/.//x"): that is a protocol-relative address.
	return path.startsWith('//') ? fallback : path;
}
