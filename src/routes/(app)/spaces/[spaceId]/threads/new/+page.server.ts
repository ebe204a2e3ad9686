import { redirect } from '@sveltejs/kit';
import { refuse } from '$lib/ui/form';
import type { Actions } from './$types';
import { readNewThread } from '$lib/threads/form';
import { startThread } from '$lib/threads/queries';
import { databaseProblem } from '$lib/supabase/problems';
import { m } from '$lib/paraglide/messages';

export const actions = {
	default: async ({ request, locals, params }) => {
		const { values, problems, ok } = readNewThread(await request.formData());
		if (!ok) return refuse(400, problems, { values });
		// Signed out (the session ended): the outbox keeps it until she signs in again.
		if (!(await locals.getUser())) return refuse(401, m.signed_out(), { values });
		const { data, error } = await startThread(locals.supabase, { spaceId: params.spaceId, ...values });
		if (error || !data) return refuse(400, databaseProblem(error), { values });
		redirect(303, `/spaces/${params.spaceId}/threads/${data}`);
	}
} satisfies Actions;
