// Browser side of an upload: straight to Storage with the person's own
// session (so RLS and the bucket's limits apply exactly as on the server),
// with progress. Files over 6 MiB go resumable (TUS, ./resumable.ts): after a
// dropped connection only the missing pieces are sent again. Smaller ones go
// in one request, resent whole on a retry.
import { m } from '$lib/paraglide/messages';
import { supabaseEnv } from '$lib/supabase/env';
import { accessToken } from '$lib/supabase/token';
import { LIBRARY_BUCKET, THUMB_MAX_BYTES, THUMB_SIZE } from './limits';
import { storageProblem } from './problems';
import { ResumableRefused, TUS_CHUNK_BYTES, resumableUpload } from './resumable';

export class UploadRefused extends Error {
	constructor(readonly problem: string) {
		super(problem);
	}
}

export interface UploadProgress {
	sent: number;
	total: number;
	attempt: number;
}

interface Answer {
	status: number;
	statusCode?: string;
}

function send(url: string, headers: Record<string, string>, body: Blob, onProgress: (sent: number) => void) {
	return new Promise<Answer>((done) => {
		const request = new XMLHttpRequest();
		request.open('POST', url);
		for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
		request.upload.onprogress = (event) => onProgress(event.loaded);
		request.onload = () => {
			let statusCode: string | undefined;
			try {
				statusCode = String((JSON.parse(request.responseText) as { statusCode?: string }).statusCode ?? '');
			} catch {
				statusCode = undefined;
			}
			done({ status: request.status, statusCode: statusCode || undefined });
		};
		request.onerror = () => done({ status: 0 });
		request.ontimeout = () => done({ status: 0 });
		request.send(body);
	});
}

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Uploads `body` to `path` in the library bucket. A 409 on a retry means an
 * earlier attempt arrived (the connection dropped after the upload): the
 * registration that follows checks the stored object is this person's.
 */
export async function uploadToLibrary(
	path: string,
	body: Blob,
	contentType: string,
	fileName: string,
	onProgress: (progress: UploadProgress) => void = () => undefined,
	attempts = 4
): Promise<void> {
	const { url, key } = supabaseEnv();
	const token = await accessToken().catch(() => null);
	if (!token) throw new UploadRefused(m.error_not_allowed());
	if (body.size > TUS_CHUNK_BYTES) {
		try {
			await resumableUpload({
				url,
				apiKey: key,
				accessToken: token,
				bucket: LIBRARY_BUCKET,
				path,
				body,
				contentType,
				cacheControl: '31536000', // seconds: Storage makes it max-age (a version never changes)
				onProgress: (sent, attempt) => onProgress({ sent, total: body.size, attempt })
			});
			return;
		} catch (error) {
			if (error instanceof ResumableRefused)
				throw new UploadRefused(storageProblem(error.status, fileName, contentType));
			throw error;
		}
	}
	const headers = {
		apikey: key,
		authorization: `Bearer ${token}`,
		'content-type': contentType || 'application/octet-stream',
		'x-upsert': 'false',
		// A version never changes: its bytes may be kept for a year.
		'cache-control': 'max-age=31536000'
	};
	for (let attempt = 1; ; attempt++) {
		onProgress({ sent: 0, total: body.size, attempt });
		const answer = await send(`${url}/storage/v1/object/${LIBRARY_BUCKET}/${path}`, headers, body, (sent) =>
			onProgress({ sent, total: body.size, attempt })
		);
		const status = Number(answer.statusCode ?? answer.status);
		if (answer.status >= 200 && answer.status < 300) return;
		if (status === 409 && attempt > 1) return;
		if (answer.status === 0 && attempt < attempts) {
			await pause(1000 * 3 ** (attempt - 1));
			continue;
		}
		throw new UploadRefused(storageProblem(status, fileName, contentType));
	}
}

/** A small JPEG preview of a picture, made on the phone so lists never download the full picture. */
export async function makeThumbnail(file: Blob): Promise<Blob | null> {
	if (!file.type.startsWith('image/')) return null;
	try {
		const bitmap = await createImageBitmap(file);
		const scale = Math.min(1, THUMB_SIZE / Math.max(bitmap.width, bitmap.height));
		const canvas = document.createElement('canvas');
		canvas.width = Math.max(1, Math.round(bitmap.width * scale));
		canvas.height = Math.max(1, Math.round(bitmap.height * scale));
		canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
		bitmap.close();
		const blob = await new Promise<Blob | null>((done) => canvas.toBlob(done, 'image/jpeg', 0.7));
		return blob && blob.size <= THUMB_MAX_BYTES ? blob : null;
	} catch {
		return null;
	}
}
