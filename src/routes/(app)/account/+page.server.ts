// My data and safety: what the moderators told me, whom I muted or blocked,
// downloading my data, and the way to delete my account.
import type { Actions, PageServerLoad } from './$types';
import { refuse } from '$lib/ui/form';
import { markNoticesSeen, myFilters, myNotices, setPersonFilter } from '$lib/moderation/queries';
import { myExports, requestExport } from '$lib/account/queries';
import { accountProblem } from '$lib/account/problems';
import { moderationProblem } from '$lib/moderation/problems';
import { readChoice, readString } from '$lib/ui/form';

export const load = (async ({ locals }) => {
	const [notices, filters, exports] = await Promise.all([
		myNotices(locals.supabase),
		myFilters(locals.supabase),
		myExports(locals.supabase)
	]);
	// Read now: the home page stops pointing here.
	if (notices.some((n) => !n.seen)) await markNoticesSeen(locals.supabase);
	return { notices, filters, exports };
}) satisfies PageServerLoad;

export const actions = {
	export: async ({ locals }) => {
		const { error } = await requestExport(locals.supabase);
		if (error) return refuse(400, accountProblem(error), { action: 'export' });
		return { action: 'export', requested: true };
	},
	unfilter: async ({ request, locals }) => {
		const form = await request.formData();
		const kind = readChoice(form, 'kind', ['mute', 'block'] as const, 'mute');
		const { error } = await setPersonFilter(locals.supabase, readString(form, 'other_id'), kind, false);
		if (error) return refuse(400, moderationProblem(error), { action: 'unfilter' });
		return { action: 'unfilter' };
	}
} satisfies Actions;
