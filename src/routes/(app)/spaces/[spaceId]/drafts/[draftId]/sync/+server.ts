// The editor's calls, made here as the person (their session; the policies
// decide): store an update, read the log after a number, share a cursor.
// Same origin, so the browser needs no token and no CORS.
import type { RequestHandler } from './$types';
import { catchUp, pushUpdate, shareAwareness } from '$lib/drafts/queries';
import { noteDraftStored } from '$lib/drafts/compactor.server';
import { isUuid } from '$lib/ui/form';

export const POST: RequestHandler = async ({ locals, params, request }) => {
	if (!(await locals.getUser()))
		return Response.json({ error: { code: '401', message: 'not_signed_in' } }, { status: 401 });
	const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
	if (
		body?.op === 'push' &&
		typeof body.id === 'string' &&
		isUuid(body.id) &&
		typeof body.update === 'string'
	) {
		const { data, error } = await pushUpdate(locals.supabase, {
			id: body.id,
			draftId: params.draftId,
			update: body.update,
			scope: typeof body.scope === 'string' ? body.scope.slice(0, 80) : ''
		});
		if (error) return Response.json({ error: { code: error.code, message: error.message } }, { status: 400 });
		noteDraftStored(params.draftId);
		return Response.json({ seq: Number(data) });
	}
	if (body?.op === 'catch_up' && typeof body.after === 'number') {
		const limit = typeof body.limit === 'number' ? body.limit : 500;
		const page = await catchUp(locals.supabase, params.draftId, body.after, limit).catch(() => undefined);
		if (page === undefined) return Response.json({ error: { message: 'unavailable' } }, { status: 503 });
		if (!page) return Response.json({ error: { message: 'not_allowed' } }, { status: 403 });
		return Response.json(page, { headers: { 'cache-control': 'no-store' } });
	}
	if (body?.op === 'awareness' && typeof body.a === 'string') {
		const { error } = await shareAwareness(locals.supabase, params.draftId, body.a, body.hello === true);
		if (error) return Response.json({ error: { code: error.code, message: error.message } }, { status: 400 });
		return new Response(null, { status: 204 });
	}
	return Response.json({ error: { message: 'bad_request' } }, { status: 400 });
};
