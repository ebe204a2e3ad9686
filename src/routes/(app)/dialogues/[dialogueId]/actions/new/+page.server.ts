// A convener records an agreed action, from a proposal or commitment
// (?from=<post id>) or on its own: what, who is responsible, who supports, by when.
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { isUuid, readString, refuse } from '$lib/ui/form';
import { agreeAction, dialogueDetail, dialogueOverview } from '$lib/dialogues/queries';
import { readActionForm, splitOwner, todayInIndochina } from '$lib/dialogues/form';
import { dialogueProblem } from '$lib/dialogues/problems';

export const load = (async ({ locals, params, url }) => {
	const user = await locals.getUser();
	if (!user || !isUuid(params.dialogueId)) error(404, 'Not found');
	const [overview, detail] = await Promise.all([
		dialogueOverview(locals.supabase, params.dialogueId),
		dialogueDetail(locals.supabase, params.dialogueId, user.id)
	]);
	if (!overview || !detail) error(404, 'Not found');
	if (!overview.am_convener) error(403, 'Only the conveners record agreed actions');
	const from = url.searchParams.get('from') ?? '';
	const source = detail.posts.find(
		(post) => post.id === from && (post.outcome === 'proposal' || post.outcome === 'commitment')
	);
	const guests = detail.guests.filter((g) => !g.removed);
	return {
		overview,
		guests,
		organisations: [...new Set(guests.map((g) => g.organisation))],
		source: source ? { id: source.id, body: source.body, guestId: source.guest?.user_id ?? null } : null,
		today: todayInIndochina()
	};
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals, params }) => {
		const form = await request.formData();
		// The one "who is responsible" select says the kind and the choice together.
		const ownerChoice = readString(form, 'owner_choice');
		const owner = splitOwner(ownerChoice);
		form.set('owner_kind', owner.kind);
		form.set('owner', owner.value);
		const { values, problems, ok } = readActionForm(form);
		const kept = { values: { ...values, ownerChoice } };
		if (!ok) return refuse(400, problems, kept);
		const { error: failed } = await agreeAction(locals.supabase, {
			...values,
			dialogueId: params.dialogueId
		});
		if (failed) return refuse(400, dialogueProblem(failed), kept);
		redirect(303, `/dialogues/${params.dialogueId}/actions/${values.id}`);
	}
} satisfies Actions;
