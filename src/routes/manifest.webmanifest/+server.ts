// The manifest in the page's language (see $lib/pwa/manifest).
import type { RequestHandler } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { manifestFor } from '$lib/pwa/manifest';

export const GET: RequestHandler = () =>
	Response.json(manifestFor(getLocale()), {
		headers: {
			'content-type': 'application/manifest+json; charset=utf-8',
			// It follows the language cookie: a shared cache must not mix languages.
			'cache-control': 'private, max-age=3600',
			vary: 'Cookie'
		}
	});
