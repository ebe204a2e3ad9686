import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages';
import { isConfirmed, isUuid, readString, refuse } from '$lib/ui/form';
import {
	grantProgrammeRole,
	officerList,
	programmeStanding,
	takeBackProgrammeRole
} from '$lib/programme/queries';

// The network's library curators grant and take back the programme role.
export const load = (async ({ locals }) => {
	const [standing, officers] = await Promise.all([
		programmeStanding(locals.supabase),
		officerList(locals.supabase)
	]);
	return { curator: standing.curator, officers };
}) satisfies PageServerLoad;

export const actions = {
	grant: async ({ request, locals }) => {
		const email = readString(await request.formData(), 'email').trim();
		if (!email) return refuse(400, { email: m.error_required() }, { action: 'grant', email });
		const problem = await grantProgrammeRole(locals.supabase, email);
		if (problem) return refuse(400, { email: problem }, { action: 'grant', email });
		return { action: 'grant', granted: email };
	},
	takeBack: async ({ request, locals }) => {
		const form = await request.formData();
		if (!isConfirmed(form)) return refuse(400, m.error_confirm_first(), { action: 'takeBack' });
		const id = readString(form, 'user_id');
		const problem = isUuid(id)
			? await takeBackProgrammeRole(locals.supabase, id)
			: m.programme_error_not_allowed();
		if (problem) return refuse(400, problem, { action: 'takeBack' });
		return { action: 'takeBack' };
	}
} satisfies Actions;
