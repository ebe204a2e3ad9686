import { redirect } from '@sveltejs/kit';
import { refuse } from '$lib/ui/form';
import type { Actions } from './$types';
import { readNewThread } from '$lib/threads/form';
import { startThread } from '$lib/threads/queries';
import { databaseProblem } from '$lib/spaces/problems';

export const actions = {
	default: async ({ request, locals, params }) => {
		const { values, problems, ok } = readNewThread(await request.formData());
		if (!ok) return refuse(400, problems, { values });
		const { data, error } = await startThread(locals.supabase, { spaceId: params.spaceId, ...values });
		if (error || !data) return refuse(400, databaseProblem(error), { values });
		redirect(303, `/spaces/${params.spaceId}/threads/${data}`);
	}
} satisfies Actions;
