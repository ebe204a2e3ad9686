// Shared by the bench:* scripts: signing in the demo member through the
// sign-in form, finding the reading pages by following links (ids change with
// the seed), raw HTTP reads that keep the compressed bytes, and formatting.
import { request } from 'node:http';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const DEMO = { email: 'linh@sahakum.test', password: 'sahakum-demo' };

export interface SessionCookie {
	name: string;
	value: string;
}

export interface ReadingPage {
	name: string;
	path: string;
	signedIn: boolean;
}

/** Posts the sign-in form as a browser would (its fields, same-origin) and keeps the cookies it sets. */
export async function signIn(appUrl: string): Promise<SessionCookie[]> {
	const response = await fetch(`${appUrl}/sign-in`, {
		method: 'POST',
		redirect: 'manual',
		// Accept: text/html, or SvelteKit answers as to use:enhance (JSON, no redirect).
		headers: { origin: appUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email: DEMO.email, password: DEMO.password })
	});
	const cookies = response.headers
		.getSetCookie()
		.map((line) => line.split(';')[0])
		.map((pair) => ({ name: pair.slice(0, pair.indexOf('=')), value: pair.slice(pair.indexOf('=') + 1) }))
		.filter((cookie) => cookie.value !== '');
	if (response.status !== 303 || !cookies.some((cookie) => cookie.name.includes('auth-token'))) {
		throw new Error(`signing in ${DEMO.email} failed (HTTP ${response.status}): is the demo data seeded?`);
	}
	return cookies;
}

export const cookieHeader = (cookies: SessionCookie[]) =>
	cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');

export interface RawResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	/** The body as sent, still compressed when the server compressed it. */
	body: Buffer;
}

/** GET without fetch's transparent decompression, so byte counts are what went over the wire. */
export function rawGet(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		request(url, { headers }, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () =>
				resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) })
			);
			response.on('error', reject);
		})
			.on('error', reject)
			.end();
	});
}

const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** Link targets as absolute paths (SvelteKit renders them relative: `./spaces/…`). */
function hrefs(html: string, base: string): string[] {
	return [...html.matchAll(/href="([^"#?]+)[^"]*"/g)].map((match) => new URL(match[1], base).pathname);
}

async function linksOf(appUrl: string, path: string, cookie: string): Promise<string[]> {
	const response = await fetch(appUrl + path, { headers: { cookie }, redirect: 'manual' });
	if (response.status !== 200) throw new Error(`${path} answered ${response.status} while finding pages`);
	return hrefs(await response.text(), appUrl + path);
}

const first = (links: string[], pattern: RegExp) => links.find((link) => pattern.test(link));

/**
 * The reading pages of issue 14, found by following the demo member's links:
 * first space on `/`, its first thread, its library and first resource, and a
 * dialogue, an actions page and a draft when the app links to one (in any of
 * the member's spaces).
 */
export async function findReadingPages(appUrl: string, cookies: SessionCookie[]): Promise<ReadingPage[]> {
	const cookie = cookieHeader(cookies);
	const home = await linksOf(appUrl, '/', cookie);
	const space = first(home, new RegExp(`^/spaces/${uuid}$`));
	if (!space) throw new Error('no space linked from / for the demo member');
	const threadList = await linksOf(appUrl, space, cookie);
	const thread = first(threadList, new RegExp(`^${space}/threads/${uuid}$`));
	const spaceLibrary = `${space}/library`;
	const resource =
		first(await linksOf(appUrl, spaceLibrary, cookie), new RegExp(`^${space}/library/${uuid}$`)) ??
		first(await linksOf(appUrl, '/library', cookie), new RegExp(`^/library/${uuid}$`));
	const everything = [...home, ...threadList];
	const actions = first(everything, /\/actions(\/|$)/);
	// A dialogue and a draft may be in another of the member's spaces: look through their lists.
	let dialogue = first(everything, new RegExp(`/dialogues/${uuid}$`));
	let draft: string | undefined;
	for (const other of home.filter((link) => new RegExp(`^/spaces/${uuid}$`).test(link)).slice(0, 6)) {
		dialogue ??= first(
			await linksOf(appUrl, `${other}/dialogues`, cookie),
			new RegExp(`^/dialogues/${uuid}$`)
		);
		draft ??= first(
			await linksOf(appUrl, `${other}/drafts`, cookie),
			new RegExp(`^${other}/drafts/${uuid}$`)
		);
		if (dialogue && draft) break;
	}
	const pages: ReadingPage[] = [
		{ name: 'sign-in', path: '/sign-in', signedIn: false },
		{ name: 'my spaces', path: '/', signedIn: true },
		{ name: 'thread list', path: space, signedIn: true }
	];
	if (thread) pages.push({ name: 'thread', path: thread, signedIn: true });
	pages.push({ name: 'space library', path: spaceLibrary, signedIn: true });
	if (resource) pages.push({ name: 'library resource', path: resource, signedIn: true });
	pages.push({ name: 'shared library', path: '/library', signedIn: true });
	if (dialogue) pages.push({ name: 'dialogue', path: dialogue, signedIn: true });
	if (actions) pages.push({ name: 'actions', path: actions, signedIn: true });
	if (draft) pages.push({ name: 'draft', path: draft, signedIn: true });
	for (const [name, found] of [
		['thread', thread],
		['library resource', resource],
		['dialogue', dialogue],
		['actions', actions],
		['draft', draft]
	] as const) {
		if (!found) console.warn(`[bench] no ${name} page linked for the demo member${routeHint(name)}`);
	}
	return pages;
}

/** Says when a route exists in src/routes but nothing links to it yet (then the page is skipped). */
function routeHint(name: string): string {
	const word = name.split(' ')[0].replace(/s$/, '');
	const walk = (dir: string): string[] =>
		readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
			entry.isDirectory() ? [join(dir, entry.name), ...walk(join(dir, entry.name))] : []
		);
	const routes = existsSync('src/routes') ? walk('src/routes').filter((dir) => dir.includes(word)) : [];
	return routes.length ? ` (but ${routes[0]} exists: skipped)` : ' (no such route yet: skipped)';
}

export const kib = (bytes: number, width = 6) => (bytes / 1024).toFixed(1).padStart(width);

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
