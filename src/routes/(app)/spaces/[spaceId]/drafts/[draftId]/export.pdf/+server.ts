import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { m } from '$lib/paraglide/messages';
import { draftForReading } from '$lib/drafts/queries';
import { renderPdf, serverPdfAvailable } from '$lib/drafts/pdf.server';
import { fileName } from '$lib/drafts/files';

export const GET: RequestHandler = async ({ locals, params, url, cookies, getClientAddress }) => {
	const draft = await draftForReading(locals.supabase, params.draftId);
	if (!draft || draft.space_id !== params.spaceId || !serverPdfAvailable()) error(404, 'Not found');
	// One export at a time per person (their account; without one, their address).
	const person = (await locals.getUser())?.id ?? `address:${getClientAddress()}`;
	const made = await renderPdf(
		new URL(`/spaces/${params.spaceId}/drafts/${params.draftId}/print`, url),
		cookies,
		person
	);
	if ('refused' in made) {
		if (made.refused === 'yours') error(429, m.draft_pdf_yours());
		error(503, m.draft_pdf_busy());
	}
	return new Response(new Uint8Array(made.pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': fileName(draft.title, 'pdf'),
			'cache-control': 'private, no-store'
		}
	});
};
