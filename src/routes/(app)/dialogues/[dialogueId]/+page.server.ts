// A dialogue, for its members and its guests alike: the space's layout is not
// used here (guests are not members of the space and see nothing of it).
import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { LIVE } from '$lib/keys';
import { m } from '$lib/paraglide/messages';
import { isUuid, readChoice, refuse } from '$lib/ui/form';
import { editAction, postIdOf, reactAction, removeAction } from '$lib/threads/actions.server';
import {
	dialogueOverview,
	markOutcome,
	openDialogue,
	postInDialogue,
	removeAnonymousPost,
	setDialogueStatus,
	setNamedInReport
} from '$lib/dialogues/queries';
import { readDialogueReply, readOutcome } from '$lib/dialogues/form';
import { dialogueProblem } from '$lib/dialogues/problems';
import { DIALOGUE_STATUSES } from '$lib/vocabulary';

export const load = (async ({ locals, params, url, depends }) => {
	depends(LIVE.dialogue);
	if (!isUuid(params.dialogueId)) error(404, 'Not found');
	// One wave: the session check beside the page's data in one call (the
	// overview, posts, agenda, guests, actions, my mutes, and my read marker
	// moved: open_dialogue(), issue 24). It acts under the policies with the
	// session alone; who I am is needed only to shape the posts.
	const [user, opened] = await Promise.all([
		locals.getUser(),
		openDialogue(locals.supabase, params.dialogueId.toLowerCase(), true)
	]);
	// Not a reader and no such dialogue look the same.
	if (!user || !opened) error(404, 'Not found');
	return {
		overview: opened.overview,
		// Muted by the space's moderators (issue 26): the page says so and until when,
		// not that the dialogue is closed. Asked only when she cannot post anyway.
		mutedUntil: opened.mutedUntil,
		...opened.detail(user.id),
		actions: opened.actions,
		muted: opened.muted, // people whose posts fold away for me (issue 26)
		userId: user.id,
		// Sent here from an invite to a dialogue they take part in already.
		already: url.searchParams.has('already'),
		loadedAt: Date.now()
	};
}) satisfies PageServerLoad;

export const actions = {
	reply: async ({ request, locals, params }) => {
		const { body, id, anonymous, problems, ok } = readDialogueReply(await request.formData());
		if (!ok) return refuse(400, problems, { action: 'reply', body, id, anonymous });
		// Signed out (the session ended): the outbox keeps it until she signs in again.
		const user = await locals.getUser();
		if (!user) return refuse(401, m.signed_out(), { action: 'reply', body, id, anonymous });
		const overview = await dialogueOverview(locals.supabase, params.dialogueId);
		if (!overview) error(404, 'Not found');
		const { error: failed } = await postInDialogue(locals.supabase, {
			id,
			dialogueId: overview.id,
			spaceId: overview.space_id,
			body,
			anonymous: anonymous && overview.am_member,
			userId: user.id
		});
		// An id that is someone else's post: nothing was stored; a new id lets the same text go again.
		const next = failed?.message === 'id_taken' ? crypto.randomUUID() : id;
		if (failed) return refuse(400, dialogueProblem(failed), { action: 'reply', body, id: next, anonymous });
		return { action: 'reply', replied: true };
	},
	edit: editAction,
	remove: removeAction(removeAnonymousPost),
	react: reactAction,
	outcome: async ({ request, locals }) => {
		const form = await request.formData();
		const target = postIdOf(form);
		const { error: failed } = target
			? await markOutcome(locals.supabase, target, readOutcome(form))
			: { error: null };
		if (failed || !target) return refuse(400, dialogueProblem(failed), { action: 'outcome', postId: target });
		return { action: 'outcome' };
	},
	status: async ({ request, locals, params }) => {
		const status = readChoice(await request.formData(), 'status', DIALOGUE_STATUSES, 'open');
		const { data, error: failed } = await setDialogueStatus(locals.supabase, params.dialogueId, status);
		if (failed || !data?.length) return refuse(403, dialogueProblem(failed), { action: 'status' });
		return { action: 'status' };
	},
	named: async ({ request, locals, params }) => {
		const user = await locals.getUser();
		const named = (await request.formData()).get('named') === '1';
		const { error: failed } = user
			? await setNamedInReport(locals.supabase, params.dialogueId, user.id, named)
			: { error: null };
		if (failed || !user) return refuse(400, dialogueProblem(failed), { action: 'named' });
		return { action: 'named' };
	}
} satisfies Actions;
