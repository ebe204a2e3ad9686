// Form actions on posts, shared by a thread's page and a dialogue's page:
// edit, remove, react. Each answers { action, ... } so the page knows which
// form a refusal belongs to.
import type { RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { REACTIONS } from '$lib/vocabulary';
import { isConfirmed, isUuid, readChoice, readString, refuse } from '$lib/ui/form';
import { databaseProblem } from '$lib/spaces/problems';
import { readBody } from './form';
import { editPost, removePost, toggleReaction } from './queries';
import { removeAnonymousPost } from '$lib/dialogues/queries';

/** The post a form is about, when its id is well formed. */
export const postIdOf = (form: FormData) => {
	const id = readString(form, 'post_id');
	return isUuid(id) ? id : null;
};

export async function editAction({ request, locals }: RequestEvent) {
	const form = await request.formData();
	const target = postIdOf(form);
	const { body, problems, ok } = readBody(form);
	if (!target) return refuse(400, m.error_generic(), { action: 'edit' });
	if (!ok) return refuse(400, problems, { action: 'edit', postId: target, body });
	const { data, error: failed } = await editPost(locals.supabase, target, body);
	if (failed || !data?.length) {
		return refuse(400, databaseProblem(failed), { action: 'edit', postId: target, body });
	}
	return { action: 'edit', saved: true } as const;
}

/** Removes a post; an anonymous dialogue post through its author's RPC. */
export async function removeAction({ request, locals }: RequestEvent) {
	const form = await request.formData();
	// Removing asks twice (ConfirmAction): a one-tap request from an old page does nothing.
	if (!isConfirmed(form)) return refuse(400, m.error_confirm_first(), { action: 'remove' });
	const target = postIdOf(form);
	if (!target) return refuse(400, databaseProblem(null), { action: 'remove' });
	if (form.get('anonymous') === '1') {
		const { error: failed } = await removeAnonymousPost(locals.supabase, target);
		if (failed) return refuse(400, databaseProblem(failed), { action: 'remove' });
		return { action: 'remove' } as const;
	}
	const { data, error: failed } = await removePost(locals.supabase, target);
	if (failed || !data?.length) return refuse(400, databaseProblem(failed), { action: 'remove' });
	return { action: 'remove' } as const;
}

export async function reactAction({ request, locals }: RequestEvent) {
	const form = await request.formData();
	const target = postIdOf(form);
	const kind = readChoice(form, 'kind', REACTIONS, 'like');
	const user = await locals.getUser();
	const { error: failed } =
		target && user ? await toggleReaction(locals.supabase, target, user.id, kind) : { error: null };
	if (failed || !target) return refuse(400, databaseProblem(failed), { action: 'react' });
	return { action: 'react' } as const;
}
