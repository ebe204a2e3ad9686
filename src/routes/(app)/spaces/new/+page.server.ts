import { redirect } from '@sveltejs/kit';
import { refuse } from '$lib/ui/form';
import type { Actions } from './$types';
import { readSpaceForm } from '$lib/spaces/form';
import { createSpace } from '$lib/spaces/queries';
import { databaseProblem } from '$lib/supabase/problems';

export const actions = {
	default: async ({ request, locals }) => {
		const user = await locals.getUser();
		if (!user) redirect(303, '/sign-in');
		const { values, insert, problems, ok } = readSpaceForm(await request.formData(), user.id);
		if (!ok) return refuse(400, problems, { values });
		const { id, error } = await createSpace(locals.supabase, insert);
		if (error || !id) return refuse(400, databaseProblem(error), { values });
		redirect(303, `/spaces/${id}`);
	}
} satisfies Actions;
