// The production server (`node server.js` on the build, scripts/serve-built.ts)
// for what only the whole server shows: how much of a request body it reads,
// and its PDF export queue. Needs `npm run build` first (`npm test` builds
// before it runs these). The stack has the demo data (supabase/seed.sql).
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { serveBuiltApp, type ServedApp } from '../../../scripts/serve-built';

export type BuiltApp = ServedApp;

export const startBuiltApp = (env: Record<string, string> = {}) => serveBuiltApp({ env });

/** Every demo account's password (supabase/seed.sql). */
export const DEMO_PASSWORD = 'sahakum-demo';

/** Signs in through the app's own form (no JavaScript) and returns the session's cookies. */
export async function signInCookies(app: BuiltApp, email: string): Promise<string> {
	const response = await fetch(`${app.appUrl}/sign-in`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin: app.appUrl,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams({ email, password: DEMO_PASSWORD })
	});
	await response.body?.cancel();
	const cookies = response.headers
		.getSetCookie()
		.map((line) => line.split(';')[0])
		.filter((pair) => !pair.endsWith('='));
	if (response.status !== 303 || !cookies.some((c) => c.includes('auth-token'))) {
		throw new Error(`signing in as ${email} answered ${response.status}`);
	}
	return cookies.join('; ');
}

/** The process's resident memory now and at its peak since the last reset (MB, Linux /proc). */
export function memoryOf(pid: number): { rss: number; peak: number } {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const mb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
	return { rss: mb('VmRSS'), peak: mb('VmHWM') };
}

/** Sets the process's peak to its current memory (Linux: clear_refs 5), so a later peak is this test's. */
export function resetPeak(pid: number) {
	writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

export interface BigPost {
	status: number;
	/** Body bytes handed to the socket when the answer came (or when it was cut off). */
	sent: number;
}

/**
 * POSTs `total` bytes of a form to `url`, declared in Content-Length or sent
 * chunked (`declared: false`), as fast as the server takes them, and stops
 * writing as soon as the server answers: a server that refuses early is never
 * sent the rest. `status` 0: the connection was cut without an answer.
 */
export function postBig(
	url: string,
	options: { total: number; declared: boolean; headers?: Record<string, string> }
): Promise<BigPost> {
	const chunk = Buffer.alloc(64 * 1024, 'a');
	const prefix = Buffer.from('email=');
	return new Promise((resolve) => {
		let sent = 0;
		let answered = false;
		const req = request(url, {
			method: 'POST',
			headers: {
				origin: new URL(url).origin,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded',
				...(options.declared ? { 'content-length': String(options.total) } : {}),
				...options.headers
			}
		});
		const finish = (status: number) => {
			if (answered) return;
			answered = true;
			resolve({ status, sent });
			req.destroy();
		};
		req.on('response', (response) => {
			response.resume();
			finish(response.statusCode ?? 0);
		});
		req.on('error', () => setTimeout(() => finish(0), 200));
		const write = () => {
			while (!answered && sent < options.total) {
				const piece = sent === 0 ? prefix : chunk.subarray(0, Math.min(chunk.length, options.total - sent));
				sent += piece.length;
				if (!req.write(piece)) {
					req.once('drain', write);
					return;
				}
			}
			if (!answered && sent >= options.total) req.end();
		};
		write();
	});
}
