import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { LIVE, UNSEEN_COOKIE } from '$lib/keys';
import { isUuid, refuse } from '$lib/ui/form';
import { editAction, reactAction, removeAction } from '$lib/threads/actions.server';
import { readBody } from '$lib/threads/form';
import { reply, setThreadFlags } from '$lib/threads/queries';
import { openedThreadPage } from '$lib/threads/page.server';
import { databaseProblem } from '$lib/supabase/problems';
import { m } from '$lib/paraglide/messages';

export const load = (async (event) => {
	const { locals, params, depends, cookies } = event;
	depends(LIVE.thread); // refetched by live updates
	if (!isUuid(params.threadId)) error(404, 'Not found'); // read here too: another thread reruns this load
	// One wave, no parent(): the session check and the thread (posts, names,
	// reactions, members, attachments, my mutes, the announcement and who has
	// seen it, and my read marker moved) with the space's header, in one call
	// shared with the space's layout (issues 14 and 24). It acts under the
	// policies with the session alone.
	const opening = openedThreadPage(event);
	if (cookies.get(UNSEEN_COOKIE) !== undefined) cookies.delete(UNSEEN_COOKIE, { path: '/' });
	const [user, opened] = await Promise.all([locals.getUser(), opening]);
	const found = opened?.page;
	if (!user || !found || found.thread.space_id !== params.spaceId || found.thread.deleted_at)
		error(404, 'Not found');
	// A dialogue has its own page (badges, outcomes, actions), for members and guests alike.
	if (found.thread.is_dialogue) redirect(303, `/dialogues/${found.thread.id}`);
	const { members: people, announcement, ...thread } = found;
	return {
		// Announcements (the meetings capability): who has seen the opening post, for moderators only.
		announcement: {
			postId: announcement.post_id,
			marked: announcement.marked,
			readers: announcement.readers
		},
		...thread,
		posts: thread.posts.map((post) => ({ ...post, mine: post.author_id === user.id })),
		mentionNames: people.map((p) => p.display_name),
		// Who may be shown as typing: current members, by id (a notice's own name is never trusted).
		memberNames: Object.fromEntries(people.map((p) => [p.user_id, p.display_name])),
		loadedAt: Date.now()
	};
}) satisfies PageServerLoad;

export const actions = {
	reply: async ({ request, locals, params }) => {
		const { body, id, problems, ok } = readBody(await request.formData());
		if (!ok) return refuse(400, problems, { action: 'reply', body, id });
		const user = await locals.getUser();
		// Signed out (the session ended): the outbox keeps it until she signs in again.
		if (!user) return refuse(401, m.signed_out(), { action: 'reply', body, id });
		const { error: failed } = await reply(locals.supabase, {
			id,
			threadId: params.threadId,
			spaceId: params.spaceId,
			body,
			userId: user.id
		});
		// An id that is someone else's post: nothing was stored; a new id lets the same text go again.
		const next = failed?.message === 'id_taken' ? crypto.randomUUID() : id;
		if (failed) return refuse(400, databaseProblem(failed), { action: 'reply', body, id: next });
		return { action: 'reply', replied: true };
	},
	edit: editAction,
	remove: removeAction(),
	react: reactAction,
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
