// GET /dialogue-files/<update id>: the photo or file of a progress update,
// streamed with the reader's own session (RLS decides on every request).
import { error, redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { isUuid } from '$lib/ui/form';
import { actionUpdateFile } from '$lib/dialogues/queries';
import { serveActionFile } from '$lib/dialogues/files.server';

export const GET: RequestHandler = async ({ locals, params, request, url }) => {
	if (!(await locals.getUser())) redirect(303, `/sign-in?next=${encodeURIComponent(url.pathname)}`);
	const update = isUuid(params.updateId) ? await actionUpdateFile(locals.supabase, params.updateId) : null;
	const served = update ? await serveActionFile(locals.supabase, update, request.headers.get('range')) : null;
	if (!served) error(404, 'Not found');
	return served;
};
