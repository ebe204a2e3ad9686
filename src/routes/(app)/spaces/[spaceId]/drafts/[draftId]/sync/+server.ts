// The editor's calls, made here as the person (their session; the policies
// decide): store an update, read the log after a number, share a cursor.
// Same origin, so the browser needs no token and no CORS.
// Every editor says the document's epoch it works on (../rebase.ts). An
// editor loaded before epochs existed says none: it is on epoch 0, and is
// refused (409) on a rebased draft rather than sent a document it would
// apply on top of its old one.
import type { RequestHandler } from './$types';
import { catchUp, pushUpdate, rebaseBase, shareAwareness } from '$lib/drafts/queries';
import { noteDraftStored } from '$lib/drafts/compactor.server';
import { isUuid } from '$lib/ui/form';

export const POST: RequestHandler = async ({ locals, params, request }) => {
	if (!(await locals.getUser()))
		return Response.json({ error: { code: '401', message: 'not_signed_in' } }, { status: 401 });
	const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
	const epochSaid = body !== null && 'epoch' in body;
	const epoch =
		typeof body?.epoch === 'number' && Number.isInteger(body.epoch) ? body.epoch : epochSaid ? null : 0;
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
			scope: typeof body.scope === 'string' ? body.scope.slice(0, 80) : '',
			epoch: epoch ?? 0
		});
		if (error) return Response.json({ error: { code: error.code, message: error.message } }, { status: 400 });
		noteDraftStored(params.draftId);
		return Response.json({ seq: Number(data) });
	}
	if (body?.op === 'catch_up' && typeof body.after === 'number') {
		const limit = typeof body.limit === 'number' ? body.limit : 500;
		const page = await catchUp(locals.supabase, params.draftId, body.after, limit, epoch).catch(
			() => undefined
		);
		if (page === undefined) return Response.json({ error: { message: 'unavailable' } }, { status: 503 });
		if (!page) return Response.json({ error: { message: 'not_allowed' } }, { status: 403 });
		if (!epochSaid && page.epoch !== 0)
			return Response.json({ error: { message: 'stale_epoch' } }, { status: 409 });
		return Response.json(page, { headers: { 'cache-control': 'no-store' } });
	}
	if (body?.op === 'rebase_base' && typeof epoch === 'number') {
		const previous = await rebaseBase(locals.supabase, params.draftId, epoch).catch(() => undefined);
		if (previous === undefined) return Response.json({ error: { message: 'unavailable' } }, { status: 503 });
		return Response.json({ previous }, { headers: { 'cache-control': 'no-store' } });
	}
	if (body?.op === 'awareness' && typeof body.a === 'string') {
		const { error } = await shareAwareness(locals.supabase, params.draftId, body.a, body.hello === true);
		if (error) return Response.json({ error: { code: error.code, message: error.message } }, { status: 400 });
		return new Response(null, { status: 204 });
	}
	return Response.json({ error: { message: 'bad_request' } }, { status: 400 });
};
