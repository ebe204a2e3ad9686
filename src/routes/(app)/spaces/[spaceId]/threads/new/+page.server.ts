import { fail, redirect } from '@sveltejs/kit';
import { formProblem } from '$lib/ui/form';
import type { Actions } from './$types';
import { readNewThread } from '$lib/threads/form';
import { startThread } from '$lib/threads/queries';
import { databaseProblem } from '$lib/spaces/problems';

export const actions = {
	default: async ({ request, locals, params }) => {
		const { values, problems, ok } = readNewThread(await request.formData());
		if (!ok) return fail(400, { values, problems });
		const { data, error } = await startThread(locals.supabase, { spaceId: params.spaceId, ...values });
		if (error || !data) return fail(400, { values, problems: formProblem(databaseProblem(error)) });
		redirect(303, `/spaces/${params.spaceId}/threads/${data}`);
	}
} satisfies Actions;
