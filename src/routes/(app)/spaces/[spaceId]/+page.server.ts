import { error } from '@sveltejs/kit';
import { LIVE } from '$lib/keys';
import type { PageServerLoad } from './$types';
import { openedSpaceHome } from '$lib/threads/page.server';
import { encodeCursor } from '$lib/threads/cursor';
import { vapidPublicKey } from '$lib/push/config.server';
import { myPhones } from '$lib/push/queries';

export const load = (async (event) => {
	const { locals, url, depends } = event;
	depends(LIVE.threads); // refetched by live updates
	// No parent(): runs beside the layouts' session check. The space, a page of its
	// threads and its meetings come in one call shared with the space's layout (issue 24).
	const welcome = url.searchParams.has('welcome');
	const paged = url.searchParams.has('after'); // read here too: a new page of threads reruns this load
	const [home, phones] = await Promise.all([
		openedSpaceHome(event),
		// The first landing offers notifications: is this phone's subscription known already?
		welcome ? myPhones(locals.supabase) : null
	]);
	if (!home) error(404, 'Not found');
	return {
		threads: home.threads,
		next: home.next ? encodeCursor(home.next) : null,
		paged,
		meetings: home.meetings, // the next meeting (a reminder on the space's page), and the last one for the cadence hint
		// Just joined through an invitation (see spaces/invitation.server.ts).
		welcome,
		landing: phones ? { phones, vapidPublicKey: vapidPublicKey() } : null,
		// Opened an invite to a space they are in already (leaders repost the same link).
		already: url.searchParams.has('already'),
		loadedAt: Date.now() // live updates replay what changed after this
	};
}) satisfies PageServerLoad;
