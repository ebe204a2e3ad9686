import { fail, redirect } from '@sveltejs/kit';
import { formProblem } from '$lib/ui/form';
import type { Actions } from './$types';
import { readSpaceForm } from '$lib/spaces/form';
import { createSpace } from '$lib/spaces/queries';
import { databaseProblem } from '$lib/spaces/problems';

export const actions = {
	default: async ({ request, locals }) => {
		const user = await locals.getUser();
		if (!user) redirect(303, '/sign-in');
		const { values, insert, problems, ok } = readSpaceForm(await request.formData(), user.id);
		if (!ok) return fail(400, { values, problems });
		const { id, error } = await createSpace(locals.supabase, insert);
		if (error || !id) return fail(400, { values, problems: formProblem(databaseProblem(error)) });
		redirect(303, `/spaces/${id}`);
	}
} satisfies Actions;
