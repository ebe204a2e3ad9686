// Files are what they say, on the stack's Storage too: an upload whose first
// bytes do not match its declared type (an .exe called "huong-dan.pdf",
// stored as application/pdf) is refused with 415 before lite stores it. The
// app checks again before it registers any file (src/lib/library/files.server.ts),
// because hosted Storage takes the type from the client as it is.
import { SNIFF_BYTES, contentMatchesType, knowsType } from '../../src/lib/library/sniff';

/** The refusal for an upload body, or null when it may be stored. Raw bodies and multipart forms. */
export function uploadContentRefusal(bytes: Uint8Array, contentType: string): Response | null {
	const file = contentType.toLowerCase().startsWith('multipart/form-data')
		? fileOfMultipart(bytes, contentType)
		: { type: contentType, head: bytes.subarray(0, SNIFF_BYTES) };
	if (!file || !file.type || !knowsType(file.type)) return null;
	if (contentMatchesType(file.head, file.type)) return null;
	return Response.json(
		{
			statusCode: '415',
			error: 'invalid_mime_type',
			message: `The file's content is not ${file.type.split(';')[0]}`
		},
		{ status: 415 }
	);
}

/** The file part of a multipart upload (storage-js sends a Blob this way): its type and first bytes. */
function fileOfMultipart(bytes: Uint8Array, contentType: string): { type: string; head: Uint8Array } | null {
	const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
	if (!boundary) return null;
	// Headers are ASCII; latin1 keeps one character per byte, so offsets match.
	const text = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1 << 20)).toString(
		'latin1'
	);
	for (const part of text.split(`--${boundary}`)) {
		const end = part.indexOf('\r\n\r\n');
		if (end < 0) continue;
		const headers = part.slice(0, end);
		const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
		if (!type || !/filename=|name=""/i.test(headers)) continue;
		const start = text.indexOf(part) + end + 4;
		return { type, head: bytes.subarray(start, start + SNIFF_BYTES) };
	}
	return null;
}
