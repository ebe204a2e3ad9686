import type { Actions, PageServerLoad } from './$types';
import { draftComments } from '$lib/drafts/queries';
import { comment, resolve } from '$lib/drafts/comment-actions.server';

export const load = (async ({ locals, params }) => ({
	comments: await draftComments(locals.supabase, params.draftId)
})) satisfies PageServerLoad;

export const actions = { comment, resolve: resolve(true), reopen: resolve(false) } satisfies Actions;
