import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { refuse } from '$lib/ui/form';
import { draftVersion } from '$lib/drafts/queries';
import { restoreVersion } from '$lib/drafts/compact.server';
import { compactNow } from '$lib/drafts/compactor.server';
import { draftProblem } from '$lib/drafts/problems';

export const load = (async ({ locals, params }) => {
	const version = await draftVersion(locals.supabase, params.draftId, params.versionId);
	if (!version) error(404, 'Not found');
	return { version };
}) satisfies PageServerLoad;

export const actions = {
	restore: async ({ request, locals, params }) => {
		if ((await request.formData()).get('confirm') !== '1') return refuse(400, { confirm: '!' }, {});
		const { error: failed } = await restoreVersion(locals.supabase, params.draftId, params.versionId);
		if (failed) return refuse(400, draftProblem(failed), {});
		// The reading page it lands on shows the restored text either way; folding first saves it the work.
		await compactNow(params.draftId);
		redirect(303, `/spaces/${params.spaceId}/drafts/${params.draftId}?restored=1`);
	}
} satisfies Actions;
