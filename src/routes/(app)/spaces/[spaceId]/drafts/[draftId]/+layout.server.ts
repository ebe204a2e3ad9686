import { error } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { withLatestText } from '$lib/drafts/reading.server';
import { openedDraftPage } from '$lib/drafts/page.server';
import { isUuid } from '$lib/ui/form';
import { serverPdfAvailable } from '$lib/drafts/pdf.server';

// No parent(): the space and the draft come in one call shared with the
// space's layout (and the reading page's comments), under the policies.
export const load = (async (event) => {
	const { locals, params } = event;
	// Not an editor and no such draft look the same.
	const opened = isUuid(params.draftId) && isUuid(params.spaceId) ? await openedDraftPage(event) : null;
	if (!opened?.draft) error(404, 'Not found');
	return { draft: await withLatestText(locals.supabase, opened.draft), serverPdf: serverPdfAvailable() };
}) satisfies LayoutServerLoad;
