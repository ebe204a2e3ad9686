import { LIVE } from '$lib/keys';
import type { PageServerLoad } from './$types';
import { threadList } from '$lib/threads/queries';
import { decodeCursor, encodeCursor } from '$lib/threads/cursor';

export const load = (async ({ locals, parent, url, depends }) => {
	depends(LIVE.threads); // refetched by live updates
	const { space, userId } = await parent();
	const { threads, next } = await threadList(
		locals.supabase,
		space,
		userId,
		decodeCursor(url.searchParams.get('after'))
	);
	return {
		threads,
		next: next ? encodeCursor(next) : null,
		paged: url.searchParams.has('after'),
		// Just joined through an invitation (see spaces/invitation.server.ts).
		welcome: url.searchParams.has('welcome'),
		loadedAt: Date.now() // live updates replay what changed after this
	};
}) satisfies PageServerLoad;
