import { LIVE } from '$lib/keys';
import type { PageServerLoad } from './$types';
import { threadList } from '$lib/threads/queries';
import { decodeCursor, encodeCursor } from '$lib/threads/cursor';
import { vapidPublicKey } from '$lib/push/config.server';
import { myPhones } from '$lib/push/queries';
import { nextAndLast } from '$lib/meetings/queries';

export const load = (async ({ locals, params, url, depends }) => {
	depends(LIVE.threads); // refetched by live updates
	// No parent(): runs beside the layouts' session and space checks (issue 14).
	const welcome = url.searchParams.has('welcome');
	const [{ threads, next }, meetings, phones] = await Promise.all([
		threadList(locals.supabase, params.spaceId, decodeCursor(url.searchParams.get('after'))),
		nextAndLast(locals.supabase, params.spaceId),
		// The first landing offers notifications: is this phone's subscription known already?
		welcome ? myPhones(locals.supabase) : null
	]);
	return {
		threads,
		next: next ? encodeCursor(next) : null,
		paged: url.searchParams.has('after'),
		meetings, // the next meeting (a reminder on the space's page), and the last one for the cadence hint
		// Just joined through an invitation (see spaces/invitation.server.ts).
		welcome,
		landing: phones ? { phones, vapidPublicKey: vapidPublicKey() } : null,
		// Opened an invite to a space they are in already (leaders repost the same link).
		already: url.searchParams.has('already'),
		loadedAt: Date.now() // live updates replay what changed after this
	};
}) satisfies PageServerLoad;
