import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { isUuid } from '$lib/ui/form';
import { evaluationCsv } from '$lib/meetings/results';
import { openEvaluation } from '$lib/meetings/queries';

// The form's answers as CSV for its creator and the space's moderators (the RPC decides; others get 404).
export const GET: RequestHandler = async ({ locals, params }) => {
	const found = isUuid(params.evaluationId)
		? await openEvaluation(locals.supabase, params.evaluationId)
		: null;
	if (!found || found.form.space_id !== params.spaceId || !found.results) error(404, 'Not found');
	return new Response(evaluationCsv(found.questions, found.results, found.form.anonymous), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': 'attachment; filename="evaluation.csv"',
			'cache-control': 'private, no-store'
		}
	});
};
