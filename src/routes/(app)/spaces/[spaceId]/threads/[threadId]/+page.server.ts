import { REACTIONS } from '$lib/vocabulary';
import { m } from '$lib/paraglide/messages';
import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { LIVE, UNSEEN_COOKIE } from '$lib/keys';
import { isConfirmed, isUuid, readChoice, refuse, readString } from '$lib/ui/form';
import { readBody } from '$lib/threads/form';
import {
	editPost,
	markRead,
	removePost,
	reply,
	setThreadFlags,
	threadWithPosts,
	toggleReaction
} from '$lib/threads/queries';
import { members } from '$lib/spaces/queries';
import { attachmentsForThread } from '$lib/library/queries';
import { databaseProblem } from '$lib/spaces/problems';

export const load = (async ({ locals, params, parent, depends, cookies }) => {
	depends(LIVE.thread); // refetched by live updates
	const { space, userId } = await parent();
	const found = isUuid(params.threadId)
		? await threadWithPosts(locals.supabase, params.threadId, userId)
		: null;
	if (!found || found.thread.space_id !== space.id || found.thread.deleted_at) error(404, 'Not found');
	// Opening the thread, or a reply arriving while it is on screen, means read.
	const unseen = cookies.get(UNSEEN_COOKIE) !== undefined;
	if (unseen) cookies.delete(UNSEEN_COOKIE, { path: '/' });
	const [people, attachments] = await Promise.all([
		members(locals.supabase, space.id),
		attachmentsForThread(locals.supabase, found.thread.id),
		unseen ? null : markRead(locals.supabase, found.thread.id)
	]);
	return {
		...found,
		mentionNames: people.map((p) => p.display_name),
		// Who may be shown as typing: current members, by id (a notice's own name is never trusted).
		memberNames: Object.fromEntries(people.map((p) => [p.user_id, p.display_name])),
		attachments,
		loadedAt: Date.now()
	};
}) satisfies PageServerLoad;

const postId = (form: FormData) => {
	const id = readString(form, 'post_id');
	return isUuid(id) ? id : null;
};

export const actions = {
	reply: async ({ request, locals, params }) => {
		const { body, id, problems, ok } = readBody(await request.formData());
		if (!ok) return refuse(400, problems, { action: 'reply', body, id });
		const { error: failed } = await reply(locals.supabase, {
			id,
			threadId: params.threadId,
			spaceId: params.spaceId,
			body
		});
		if (failed) return refuse(400, databaseProblem(failed), { action: 'reply', body, id });
		return { action: 'reply', replied: true };
	},
	edit: async ({ request, locals }) => {
		const form = await request.formData();
		const target = postId(form);
		const { body, problems, ok } = readBody(form);
		if (!target) return refuse(400, m.error_generic(), { action: 'edit' });
		if (!ok) return refuse(400, problems, { action: 'edit', postId: target, body });
		const { data, error: failed } = await editPost(locals.supabase, target, body);
		if (failed || !data?.length) {
			return refuse(400, databaseProblem(failed), { action: 'edit', postId: target, body });
		}
		return { action: 'edit', saved: true };
	},
	remove: async ({ request, locals }) => {
		const form = await request.formData();
		if (!isConfirmed(form)) return refuse(400, m.error_confirm_first(), { action: 'remove' });
		const target = postId(form);
		const { data, error: failed } = target
			? await removePost(locals.supabase, target)
			: { data: null, error: null };
		if (failed || !data?.length) return refuse(400, databaseProblem(failed), { action: 'remove' });
		return { action: 'remove' };
	},
	react: async ({ request, locals }) => {
		const form = await request.formData();
		const target = postId(form);
		const kind = readChoice(form, 'kind', REACTIONS, 'like');
		const user = await locals.getUser();
		const { error: failed } =
			target && user ? await toggleReaction(locals.supabase, target, user.id, kind) : { error: null };
		if (failed || !target) return refuse(400, databaseProblem(failed), { action: 'react' });
		return { action: 'react' };
	},
	flags: async ({ request, locals, params }) => {
		const form = await request.formData();
		const flags: { pinned?: boolean; locked?: boolean } = {};
		if (form.has('pinned')) flags.pinned = form.get('pinned') === 'true';
		if (form.has('locked')) flags.locked = form.get('locked') === 'true';
		const { data, error: failed } = await setThreadFlags(locals.supabase, params.threadId, flags);
		if (failed || !data?.length) return refuse(403, databaseProblem(failed), { action: 'flags' });
		return { action: 'flags' };
	}
} satisfies Actions;
