import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { isUuid } from '$lib/ui/form';
import { dialogueOverview, dialogueReport } from '$lib/dialogues/queries';
import { actionsCsv } from '$lib/dialogues/csv';
import { getLocale } from '$lib/paraglide/runtime';

export const GET: RequestHandler = async ({ locals, params }) => {
	const user = await locals.getUser();
	if (!user || !isUuid(params.dialogueId)) error(404, 'Not found');
	const [overview, report] = await Promise.all([
		dialogueOverview(locals.supabase, params.dialogueId),
		dialogueReport(locals.supabase, params.dialogueId, user.id)
	]);
	if (!overview || !report) error(404, 'Not found');
	return new Response(actionsCsv(report.actions, overview.space_name, getLocale()), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="actions-${overview.id.slice(0, 8)}.csv"`,
			'cache-control': 'private, no-store'
		}
	});
};
