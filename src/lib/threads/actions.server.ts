// Form actions on posts, shared by a thread's page and a dialogue's page:
// edit, remove, react. Each answers { action, ... } so the page knows which
// form a refusal belongs to.
import type { RequestEvent } from '@sveltejs/kit';
import type { Client } from '$lib/supabase/types';
import { m } from '$lib/paraglide/messages';
import { REACTIONS } from '$lib/vocabulary';
import { isConfirmed, isUuid, readChoice, readString, refuse } from '$lib/ui/form';
import { databaseProblem } from '$lib/supabase/problems';
import { readBody } from './form';
import { editPost, removePost, setReaction } from './queries';

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

type RemoveAnonymous = (
	supabase: Client,
	postId: string
) => PromiseLike<{ error: { code: string; message: string } | null }>;

/**
 * The remove action: a post, or (where the page passes `removeAnonymous`, a
 * dialogue's) an anonymous post through its author's own function.
 */
export const removeAction =
	(removeAnonymous?: RemoveAnonymous) =>
	async ({ request, locals }: RequestEvent) => {
		const form = await request.formData();
		// Removing asks twice (ConfirmAction): a one-tap request from an old page does nothing.
		if (!isConfirmed(form)) return refuse(400, m.error_confirm_first(), { action: 'remove' });
		const target = postIdOf(form);
		if (!target) return refuse(400, databaseProblem(null), { action: 'remove' });
		if (removeAnonymous && form.get('anonymous') === '1') {
			const { error: failed } = await removeAnonymous(locals.supabase, target);
			if (failed) return refuse(400, databaseProblem(failed), { action: 'remove' });
			return { action: 'remove' } as const;
		}
		const { data, error: failed } = await removePost(locals.supabase, target);
		if (failed || !data?.length) return refuse(400, databaseProblem(failed), { action: 'remove' });
		return { action: 'remove' } as const;
	};

/**
 * Sets my reaction of one kind on a post to what the button showed it would
 * become (`on` = 1 or 0), rather than toggling: the same request twice (a
 * double tap, a replay from the outbox after a lost answer, a stale page)
 * leaves the same state.
 */
export async function reactAction({ request, locals }: RequestEvent) {
	const form = await request.formData();
	const target = postIdOf(form);
	const kind = readChoice(form, 'kind', REACTIONS, 'like');
	const on = readString(form, 'on');
	if (!target || (on !== '1' && on !== '0')) return refuse(400, m.error_generic(), { action: 'react' });
	const user = await locals.getUser();
	if (!user) return refuse(401, m.signed_out(), { action: 'react' });
	const { error: failed } = await setReaction(locals.supabase, {
		postId: target,
		userId: user.id,
		kind,
		on: on === '1'
	});
	if (failed) return refuse(400, databaseProblem(failed), { action: 'react' });
	return { action: 'react' } as const;
}
