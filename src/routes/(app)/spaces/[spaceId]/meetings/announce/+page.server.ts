// The announcement buttons on a thread post here and come back to the thread:
// marking is the meetings capability's own action, the thread's page stays the threads'.
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { isUuid, readString, refuse } from '$lib/ui/form';
import { m } from '$lib/paraglide/messages';
import { meetingProblem } from '$lib/meetings/problems';
import { markAnnouncement, postPlace, unmarkAnnouncement } from '$lib/meetings/queries';

export const load = (() => error(404, 'Not found')) satisfies PageServerLoad;

async function postOf(locals: App.Locals, request: Request) {
	const post = readString(await request.formData(), 'post');
	return isUuid(post) ? postPlace(locals.supabase, post) : null;
}

export const actions = {
	mark: async ({ request, locals, params }) => {
		const [user, post] = await Promise.all([locals.getUser(), postOf(locals, request)]);
		if (!user) return refuse(401, m.signed_out(), { action: 'announce' });
		if (!post || post.space_id !== params.spaceId)
			return refuse(404, m.error_not_allowed(), { action: 'announce' });
		const { error: failed } = await markAnnouncement(locals.supabase, {
			postId: post.id,
			threadId: post.thread_id,
			spaceId: post.space_id,
			userId: user.id
		});
		if (failed) return refuse(403, meetingProblem(failed), { action: 'announce' });
		redirect(303, `/spaces/${params.spaceId}/threads/${post.thread_id}`);
	},
	unmark: async ({ request, locals, params }) => {
		const post = await postOf(locals, request);
		if (!post || post.space_id !== params.spaceId)
			return refuse(404, m.error_not_allowed(), { action: 'announce' });
		const { data, error: failed } = await unmarkAnnouncement(locals.supabase, post.id);
		if (failed || !data?.length) return refuse(403, meetingProblem(failed), { action: 'announce' });
		redirect(303, `/spaces/${params.spaceId}/threads/${post.thread_id}`);
	}
} satisfies Actions;
