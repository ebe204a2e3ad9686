import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { currentDraft } from '$lib/drafts/reading.server';
import { draftDocx } from '$lib/drafts/docx.server';
import { kindName } from '$lib/drafts/labels';
import { fileName } from '$lib/drafts/files';

export const GET: RequestHandler = async ({ locals, params }) => {
	const draft = await currentDraft(locals.supabase, params.draftId);
	if (!draft || draft.space_id !== params.spaceId) error(404, 'Not found');
	const body = await draftDocx({
		title: draft.title,
		subtitle: kindName(draft.kind),
		language: draft.language,
		projection: draft.projection
	});
	return new Response(new Uint8Array(body), {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
			'content-disposition': fileName(draft.title, 'docx'),
			'cache-control': 'private, no-store'
		}
	});
};
