import { error } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { currentDraft } from '$lib/drafts/reading.server';
import { isUuid } from '$lib/ui/form';
import { serverPdfAvailable } from '$lib/drafts/pdf.server';

export const load = (async ({ locals, params, parent }) => {
	await parent();
	// Not an editor and no such draft look the same.
	const draft = isUuid(params.draftId) ? await currentDraft(locals.supabase, params.draftId) : null;
	if (!draft || draft.space_id !== params.spaceId) error(404, 'Not found');
	return { draft, serverPdf: serverPdfAvailable() };
}) satisfies LayoutServerLoad;
