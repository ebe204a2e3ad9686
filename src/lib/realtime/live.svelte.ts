// Live updates for the pages of a space. The database announces changes on
// the private channel `space:<id>` (ids only, migration 20261122000400_realtime_channels); the
// page refetches through its load function, so what people see is always
// what RLS lets them read, and each post is keyed by id: a notice that
// arrives twice, or a refetch that overlaps one, never shows a post twice.
//
// Nothing may be missed across a network drop or a phone asleep: whenever
// the channel joins again, or the browser says it is back online (and our
// server answers), the page refetches everything it shows.
import { afterPaint } from '$lib/ui/after-paint';
import { untrack } from 'svelte';
import { invalidate } from '$app/navigation';
import { navigating } from '$app/state';
import { refreshInPlace } from '$lib/loading/refresh-in-place';

export type SpaceNotice = {
	event: 'threads' | 'posts' | 'reactions' | 'actions';
	thread_id: string;
	post_id: string | null;
	action_id?: string;
	op: 'insert' | 'update' | 'delete';
	by: string | null;
};

/**
 * Runs `refetch` for a burst of notices at most twice: once at once, once more
 * after it if notices came in meanwhile. Not while offline (the page's data
 * request would fail; `followSpace` resyncs when the network is back), and not
 * while the person is going to another page: SvelteKit's invalidate() would
 * reload the page being left and take them back to it.
 */
function coalesced(refetch: () => Promise<unknown>): () => void {
	let running = false;
	let again = false;
	const run = async (): Promise<void> => {
		if (!navigator.onLine || navigating.to) return;
		if (running) {
			again = true;
			return;
		}
		running = true;
		try {
			await refetch();
		} finally {
			running = false;
			if (again) {
				again = false;
				void run();
			}
		}
	};
	return () => void run();
}

export interface LiveRefresh {
	/** The topics whose notices this page follows (reactive): `space:<id>`, `dialogue:<id>`. */
	topics: () => string[];
	/** When the page's data was read (server ms), for the replay of the join gap. */
	since: () => number;
	/** The `depends()` key of the page's load (see $lib/keys LIVE). */
	dependency: string;
	/** Whether a notice changes what this page shows (default: anything but reactions). */
	concerns?: (notice: SpaceNotice) => boolean;
	/** Runs before the refetch, e.g. to remember that the tab was hidden. */
	beforeRefetch?: () => void;
}

/**
 * A live page: follows its topics for as long as the component lives and
 * refetches its load (coalesced) when a notice concerns it, or after a gap.
 * Call during component initialisation. Returns the refetch, for pages that
 * also refetch on their own (a tab becoming visible). The Realtime side
 * (./follow.ts and realtime-js) loads after the first paint; the notices sent
 * meanwhile are replayed from `since`, so nothing is missed.
 */
export function liveRefresh(options: LiveRefresh): () => void {
	const concerns =
		options.concerns ?? ((notice: SpaceNotice) => notice.event !== 'reactions' && notice.event !== 'actions');
	const refetch = coalesced(() => {
		options.beforeRefetch?.();
		return refreshInPlace(() => invalidate(options.dependency));
	});
	// A string, so a refetch (new data, same spaces) does not re-subscribe.
	const followed = $derived(options.topics().join(','));
	$effect(() => {
		if (!followed) return;
		const since = untrack(options.since);
		let stops: (() => void)[] | undefined;
		let stopped = false;
		const cancel = afterPaint(() => {
			void import('./follow').then(({ followTopic }) => {
				if (stopped) return;
				stops = followed.split(',').map((topic) =>
					followTopic(topic, since, {
						changed: (notice) => concerns(notice) && refetch(),
						resync: refetch
					})
				);
			});
		});
		return () => {
			stopped = true;
			cancel();
			stops?.forEach((stop) => stop());
		};
	});
	return refetch;
}
