// Files are what they say. The bucket checks the declared type against its
// list, but the type comes from the file's name: an executable called
// "huong-dan-bhxh.pdf" was stored and served as a PDF. This looks at the
// first bytes. Used by the app before it registers any upload (whoever stored
// it), and by the local stack's Storage. Formats without a signature (plain
// text, CSV) must at least not look like a program or other binary.

/** Bytes to read from the start of a file for the check. */
export const SNIFF_BYTES = 512;

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) =>
	signature.every((byte, i) => bytes[offset + i] === byte);

const PDF = ascii('%PDF-');
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const GIF87 = ascii('GIF87a');
const GIF89 = ascii('GIF89a');
const RIFF = ascii('RIFF');
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const EBML = [0x1a, 0x45, 0xdf, 0xa3];
const OGG = ascii('OggS');
const ID3 = ascii('ID3');
const AMR = ascii('#!AMR');
const FTYP = ascii('ftyp');
/** Programs and libraries: never a document, whatever the name says. */
const EXECUTABLES = [
	ascii('MZ'),
	[0x7f, 0x45, 0x4c, 0x46],
	[0xcf, 0xfa, 0xed, 0xfe],
	[0xca, 0xfe, 0xba, 0xbe]
];

const riff = (bytes: Uint8Array, kind: string) =>
	startsWith(bytes, RIFF) && startsWith(bytes, ascii(kind), 8);
const mp4Family = (bytes: Uint8Array) => startsWith(bytes, FTYP, 4);
/** MPEG audio frame sync (11 set bits), or an ID3 tag before it. */
const mpegAudio = (bytes: Uint8Array) =>
	startsWith(bytes, ID3) || (bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0);
/** ADTS AAC: 12 set bits, layer 00. */
const adts = (bytes: Uint8Array) => bytes[0] === 0xff && (bytes[1] & 0xf6) === 0xf0;
/** Text: no NUL byte and no other control besides tab, line breaks, form feed and escape. */
const looksLikeText = (bytes: Uint8Array) =>
	bytes.every((b) => b >= 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0c || b === 0x1b);

const checks: Record<string, (bytes: Uint8Array) => boolean> = {
	'application/pdf': (b) => startsWith(b, PDF),
	'image/jpeg': (b) => startsWith(b, JPEG),
	'image/png': (b) => startsWith(b, PNG),
	'image/webp': (b) => riff(b, 'WEBP'),
	'image/gif': (b) => startsWith(b, GIF87) || startsWith(b, GIF89),
	'audio/mpeg': mpegAudio,
	'audio/mp4': mp4Family,
	'audio/x-m4a': mp4Family,
	'audio/aac': (b) => adts(b) || startsWith(b, ascii('ADIF')),
	'audio/ogg': (b) => startsWith(b, OGG),
	'audio/wav': (b) => riff(b, 'WAVE'),
	'audio/x-wav': (b) => riff(b, 'WAVE'),
	'audio/webm': (b) => startsWith(b, EBML),
	'audio/amr': (b) => startsWith(b, AMR),
	'audio/3gpp': mp4Family,
	'video/mp4': mp4Family,
	'video/webm': (b) => startsWith(b, EBML),
	'video/3gpp': mp4Family,
	'application/msword': (b) => startsWith(b, OLE),
	'application/vnd.ms-excel': (b) => startsWith(b, OLE),
	'application/vnd.ms-powerpoint': (b) => startsWith(b, OLE),
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document': (b) => startsWith(b, ZIP),
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': (b) => startsWith(b, ZIP),
	'application/vnd.openxmlformats-officedocument.presentationml.presentation': (b) => startsWith(b, ZIP),
	'application/vnd.oasis.opendocument.text': (b) => startsWith(b, ZIP),
	'application/vnd.oasis.opendocument.spreadsheet': (b) => startsWith(b, ZIP),
	'application/vnd.oasis.opendocument.presentation': (b) => startsWith(b, ZIP),
	'text/plain': looksLikeText,
	'text/csv': looksLikeText
};

/**
 * Whether the first bytes of a file (at least SNIFF_BYTES of it, or all of a
 * smaller file) agree with the type it was declared as. Unknown types: false.
 */
export function contentMatchesType(head: Uint8Array, mimeType: string): boolean {
	const type = mimeType.split(';')[0].trim().toLowerCase();
	if (head.length === 0) return false;
	if (EXECUTABLES.some((signature) => startsWith(head, signature))) return false;
	return checks[type]?.(head) ?? false;
}

/** The first bytes of a stream, without reading the rest of it. */
export async function readHead(
	body: ReadableStream<Uint8Array> | null,
	bytes = SNIFF_BYTES
): Promise<Uint8Array> {
	if (!body) return new Uint8Array();
	const reader = body.getReader();
	const head = new Uint8Array(bytes);
	let filled = 0;
	try {
		while (filled < bytes) {
			const { done, value } = await reader.read();
			if (done) break;
			const take = value.subarray(0, bytes - filled);
			head.set(take, filled);
			filled += take.length;
		}
	} finally {
		await reader.cancel().catch(() => undefined);
	}
	return head.subarray(0, filled);
}
