// The editor asks the app server to fold the log into a new snapshot and
// projections (after a burst of edits and when the page is left), as the person.
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { compactDraft } from '$lib/drafts/compact.server';

export const POST: RequestHandler = async ({ locals, params }) => {
	if (!(await locals.getUser())) return json({ error: 'signed_out' }, { status: 401 });
	try {
		return json({ compacted: await compactDraft(locals.supabase, params.draftId) });
	} catch {
		return json({ compacted: false }, { status: 409 });
	}
};
