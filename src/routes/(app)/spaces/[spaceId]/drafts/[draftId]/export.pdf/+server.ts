import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { m } from '$lib/paraglide/messages';
import { draftForReading } from '$lib/drafts/queries';
import { renderPdf, serverPdfAvailable } from '$lib/drafts/pdf.server';
import { fileName } from '$lib/drafts/files';

export const GET: RequestHandler = async ({ locals, params, url, cookies }) => {
	const draft = await draftForReading(locals.supabase, params.draftId);
	if (!draft || draft.space_id !== params.spaceId || !serverPdfAvailable()) error(404, 'Not found');
	const pdf = await renderPdf(
		new URL(`/spaces/${params.spaceId}/drafts/${params.draftId}/print`, url),
		cookies
	);
	if (!pdf) error(503, m.draft_pdf_busy());
	return new Response(new Uint8Array(pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': fileName(draft.title, 'pdf'),
			'cache-control': 'private, no-store'
		}
	});
};
