// Names shared between the server, the pages and the service worker. One
// place, so a renamed cache or cookie cannot leave a stale copy behind.

/** Cache Storage: pages people visited (service worker, NetworkFirst). */
export const PAGES_CACHE = 'pages';
/** Cache Storage: library files saved for offline. */
export const LIBRARY_FILES_CACHE = 'library-files';
/** Cache Storage: the app's code and styles, kept as they are used. */
export const ASSETS_CACHE = 'assets';
/** Cache Storage: fonts, kept as they are used (the Khmer one only where Khmer is read). */
export const FONTS_CACHE = 'fonts';

/** IndexedDB: the outbox (src/lib/offline/outbox.ts); the service worker empties it at sign-out. */
export const OUTBOX_DB = 'sahakum-outbox';
/** y-indexeddb's database per draft kept on the phone: this prefix and the draft's id. */
export const DRAFT_DB_PREFIX = 'sahakum-draft-';

/** SvelteKit `depends()` keys the live pages refetch. */
export const LIVE = {
	spaces: 'app:spaces',
	threads: 'app:threads',
	thread: 'app:thread',
	dialogue: 'app:dialogue',
	actions: 'app:actions'
} as const;

/**
 * Set by a thread page when a live reply arrived while the tab was hidden:
 * the next load leaves the thread unread (see the thread page's load).
 */
export const UNSEEN_COOKIE = 'sahakum_unseen';

/** "1" when the person turned the data saver on (src/lib/data-saver). */
export const SAVER_COOKIE = 'sahakum_saver';
