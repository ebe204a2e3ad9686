import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { isUuid } from '$lib/ui/form';
import { dialogueOverview, dialogueReport } from '$lib/dialogues/queries';

export const load = (async ({ locals, params }) => {
	const user = await locals.getUser();
	if (!user || !isUuid(params.dialogueId)) error(404, 'Not found');
	const [overview, report] = await Promise.all([
		dialogueOverview(locals.supabase, params.dialogueId),
		dialogueReport(locals.supabase, params.dialogueId, user.id)
	]);
	if (!overview || !report) error(404, 'Not found');
	return { overview, report, printedAt: new Date().toISOString() };
}) satisfies PageServerLoad;
