// "I am typing" for the thread's other readers: the database sends it on the
// thread's channel with my id (thread_typing), so nobody can type as someone else.
import type { RequestHandler } from './$types';
import { announceTyping } from '$lib/threads/queries';

export const POST: RequestHandler = async ({ locals, params }) => {
	if (!(await locals.getUser())) return new Response(null, { status: 401 });
	const { error } = await announceTyping(locals.supabase, params.threadId);
	return new Response(null, { status: error ? 403 : 204 });
};
