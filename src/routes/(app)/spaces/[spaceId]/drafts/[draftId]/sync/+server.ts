// The editor's calls, made here as the person (their session; the policies
// decide): store an update, read the log after a number, share a cursor.
// Same origin, so the browser needs no token and no CORS.
// The log travels as bytes ($lib/drafts/wire.ts): an update as the body of
// `?op=push&id=…&scope=…&epoch=…`, a catch-up answered in the wire format to
// an editor that accepts it. Editors loaded before that send and get base64
// in JSON, through the same calls.
// Every editor says the document's epoch it works on ($lib/drafts/rebase.ts).
// An editor loaded before epochs existed says none: it is on epoch 0, and is
// refused (409) on a rebased draft rather than sent a document it would
// apply on top of its old one.
import type { RequestHandler } from './$types';
import { catchUp, pushUpdate, rebaseBase, shareAwareness } from '$lib/drafts/queries';
import { noteDraftStored } from '$lib/drafts/compactor.server';
import { toBase64 } from '$lib/drafts/base64';
import { encodeCatchUp, WIRE_TYPE } from '$lib/drafts/wire';
import { isUuid } from '$lib/ui/form';

const badRequest = () => Response.json({ error: { message: 'bad_request' } }, { status: 400 });
const noStore = { 'cache-control': 'no-store' };

export const POST: RequestHandler = async ({ locals, params, request, url }) => {
	if (!(await locals.getUser()))
		return Response.json({ error: { code: '401', message: 'not_signed_in' } }, { status: 401 });

	const push = async (id: string, update: string, scope: unknown, epoch: number) => {
		const { data, error } = await pushUpdate(locals.supabase, {
			id,
			draftId: params.draftId,
			update,
			scope: typeof scope === 'string' ? scope.slice(0, 80) : '',
			epoch
		});
		if (error) return Response.json({ error: { code: error.code, message: error.message } }, { status: 400 });
		noteDraftStored(params.draftId, Math.floor((update.length * 3) / 4)); // base64 → bytes
		return Response.json({ seq: Number(data) });
	};

	if (request.headers.get('content-type')?.startsWith('application/octet-stream')) {
		const id = url.searchParams.get('id') ?? '';
		const epoch = Number(url.searchParams.get('epoch'));
		if (url.searchParams.get('op') !== 'push' || !isUuid(id) || !Number.isInteger(epoch) || epoch < 0)
			return badRequest();
		const update = new Uint8Array(await request.arrayBuffer());
		return push(id, toBase64(update), url.searchParams.get('scope'), epoch);
	}

	const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
	const epochSaid = body !== null && 'epoch' in body;
	const epoch =
		typeof body?.epoch === 'number' && Number.isInteger(body.epoch) ? body.epoch : epochSaid ? null : 0;
	if (
		body?.op === 'push' &&
		typeof body.id === 'string' &&
		isUuid(body.id) &&
		typeof body.update === 'string'
	)
		return push(body.id, body.update, body.scope, epoch ?? 0);
	if (body?.op === 'catch_up' && typeof body.after === 'number') {
		const limit = typeof body.limit === 'number' ? body.limit : 500;
		const page = await catchUp(locals.supabase, params.draftId, body.after, limit, epoch).catch(
			() => undefined
		);
		if (page === undefined) return Response.json({ error: { message: 'unavailable' } }, { status: 503 });
		if (!page) return Response.json({ error: { message: 'not_allowed' } }, { status: 403 });
		if (!epochSaid && page.epoch !== 0)
			return Response.json({ error: { message: 'stale_epoch' } }, { status: 409 });
		if (request.headers.get('accept')?.includes(WIRE_TYPE))
			return new Response(encodeCatchUp(page) as Uint8Array<ArrayBuffer>, {
				headers: { 'content-type': WIRE_TYPE, ...noStore }
			});
		const snapshot = page.snapshot ? toBase64(page.snapshot) : null;
		const updates = page.updates.map((u) => ({ seq: u.seq, data: toBase64(u.data) }));
		return Response.json({ ...page, snapshot, updates }, { headers: noStore });
	}
	if (body?.op === 'rebase_base' && typeof epoch === 'number') {
		const previous = await rebaseBase(locals.supabase, params.draftId, epoch).catch(() => undefined);
		if (previous === undefined) return Response.json({ error: { message: 'unavailable' } }, { status: 503 });
		return Response.json({ previous }, { headers: noStore });
	}
	if (body?.op === 'awareness' && typeof body.a === 'string') {
		const { error } = await shareAwareness(locals.supabase, params.draftId, body.a, body.hello === true);
		if (error) return Response.json({ error: { code: error.code, message: error.message } }, { status: 400 });
		return new Response(null, { status: 204 });
	}
	return badRequest();
};
