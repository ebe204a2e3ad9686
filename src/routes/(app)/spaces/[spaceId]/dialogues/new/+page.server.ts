import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { refuse } from '$lib/ui/form';
import { convene } from '$lib/dialogues/queries';
import { readConveneForm } from '$lib/dialogues/form';
import { dialogueProblem } from '$lib/dialogues/problems';

const canConvene = (role: string) => role === 'facilitator' || role === 'leader';

export const load = (async ({ parent }) => {
	const { space } = await parent();
	if (!canConvene(space.myRole)) error(403, 'Only facilitators and leaders convene dialogues');
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals, params }) => {
		const { values, problems, ok } = readConveneForm(await request.formData());
		if (!ok) return refuse(400, problems, { values });
		const { error: failed } = await convene(locals.supabase, { ...values, spaceId: params.spaceId });
		if (failed) return refuse(400, dialogueProblem(failed), { values });
		redirect(303, `/dialogues/${values.id}`);
	}
} satisfies Actions;
