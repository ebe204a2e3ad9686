// Resumable uploads (the TUS 1.0.0 protocol Supabase Storage speaks at
// /storage/v1/upload/resumable): the file goes in 6 MiB pieces; after a dropped
// connection the client asks how much arrived (HEAD) and sends only the rest.
// Small and dependency-free; runs in the browser (XMLHttpRequest, for upload
// progress) and in Node (fetch), so the integration tests use this very code.

/** Supabase Storage takes exactly 6 MiB per piece (the last may be shorter). */
export const TUS_CHUNK_BYTES = 6 * 1024 * 1024;
const TUS_VERSION = '1.0.0';

export interface ResumableOptions {
	/** The project URL, e.g. https://abcd.supabase.co */
	url: string;
	apiKey: string;
	accessToken: string;
	bucket: string;
	path: string;
	body: Blob;
	contentType: string;
	/** Seconds the stored object may be cached (Storage answers with max-age=…). */
	cacheControl?: string;
	/** Bytes confirmed or on their way, and which try this is (1 = first). */
	onProgress?: (sent: number, attempt: number) => void;
	/** Waits before each new try after a failure (ms); its length is how many failures in a row are borne. */
	retryDelays?: number[];
}

/** Storage refused the upload; `status` is Storage's HTTP-like status (413 too large, 415 wrong type, 403 …). */
export class ResumableRefused extends Error {
	constructor(readonly status: number) {
		super(`upload refused (${status})`);
	}
}

interface Reply {
	/** 0 when the request never got an answer (network down, timeout). */
	status: number;
	header(name: string): string | null;
	/** Storage's own status from a JSON body ({ statusCode }), else the HTTP status. */
	storageStatus: number;
}

const b64 = (text: string) => {
	const bytes = new TextEncoder().encode(text);
	let binary = '';
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary);
};

function storageStatusOf(status: number, body: string): number {
	try {
		const code = Number((JSON.parse(body) as { statusCode?: string | number }).statusCode);
		return Number.isFinite(code) && code > 0 ? code : status;
	} catch {
		return status;
	}
}

async function request(
	method: string,
	url: string,
	headers: Record<string, string>,
	body?: Blob,
	onSent?: (bytes: number) => void
): Promise<Reply> {
	if (typeof XMLHttpRequest !== 'undefined') {
		return new Promise((done) => {
			const xhr = new XMLHttpRequest();
			xhr.open(method, url);
			for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
			if (onSent) xhr.upload.onprogress = (event) => onSent(event.loaded);
			const failed = () => done({ status: 0, header: () => null, storageStatus: 0 });
			xhr.onerror = failed;
			xhr.ontimeout = failed;
			xhr.onabort = failed;
			xhr.onload = () =>
				done({
					status: xhr.status,
					header: (name) => xhr.getResponseHeader(name),
					storageStatus: storageStatusOf(xhr.status, xhr.responseText)
				});
			xhr.send(body ?? null);
		});
	}
	try {
		const response = await fetch(url, { method, headers, body });
		const text = method === 'HEAD' ? '' : await response.text();
		if (body && onSent) onSent(body.size);
		return {
			status: response.status,
			header: (name) => response.headers.get(name),
			storageStatus: storageStatusOf(response.status, text)
		};
	} catch {
		return { status: 0, header: () => null, storageStatus: 0 };
	}
}

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

export async function resumableUpload(options: ResumableOptions): Promise<void> {
	const { body, onProgress = () => undefined } = options;
	const delays = options.retryDelays ?? [0, 3000, 5000, 10000, 20000];
	const auth = {
		apikey: options.apiKey,
		authorization: `Bearer ${options.accessToken}`,
		'tus-resumable': TUS_VERSION
	};
	const metadata = [
		['bucketName', options.bucket],
		['objectName', options.path],
		['contentType', options.contentType || 'application/octet-stream'],
		['cacheControl', options.cacheControl ?? '3600']
	]
		.map(([key, value]) => `${key} ${b64(value)}`)
		.join(',');

	let attempt = 1;
	let failures = 0;
	/** After a failure: wait, then try again — or give up when the failures run out. */
	const again = async (reply: Reply) => {
		if (failures >= delays.length) throw new ResumableRefused(reply.storageStatus);
		await pause(delays[failures++]);
		attempt++;
	};
	const retryable = (reply: Reply) => reply.status === 0 || reply.status === 409 || reply.status >= 500;

	// 1. Create the upload (Storage checks the bucket's size and type limits here).
	let location: string | null = null;
	while (!location) {
		onProgress(0, attempt);
		const created = await request('POST', `${options.url}/storage/v1/upload/resumable`, {
			...auth,
			'upload-length': String(body.size),
			'upload-metadata': metadata,
			'x-upsert': 'false'
		});
		if (created.status === 201 && created.header('location')) location = created.header('location');
		else if (retryable(created)) await again(created);
		else throw new ResumableRefused(created.storageStatus);
	}

	// 2. Send the pieces; after a failure ask where to go on from.
	let offset = 0;
	while (offset < body.size) {
		const piece = body.slice(offset, offset + TUS_CHUNK_BYTES);
		const from = offset;
		onProgress(from, attempt);
		const sentLast = from + piece.size === body.size;
		const patched = await request(
			'PATCH',
			location,
			{ ...auth, 'upload-offset': String(from), 'content-type': 'application/offset+octet-stream' },
			piece,
			(sent) => onProgress(from + sent, attempt)
		);
		if (patched.status === 204 || patched.status === 200) {
			offset = Number(patched.header('upload-offset') ?? from + piece.size);
			failures = 0;
			continue;
		}
		if (!retryable(patched)) throw new ResumableRefused(patched.storageStatus);
		await again(patched);
		const head = await request('HEAD', location, auth);
		if (head.status === 200) offset = Number(head.header('upload-offset') ?? from);
		// The upload is gone after its last piece was sent: the piece arrived and the
		// object was stored, only the answer was lost. (The file's registration that
		// follows checks the object exists and is this person's.)
		else if (head.status === 404 && sentLast) return;
		else if (!retryable(head)) throw new ResumableRefused(head.storageStatus);
	}
	onProgress(body.size, attempt);
}
