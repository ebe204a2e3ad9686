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

/** Cookie: a space invitation carried through sign-up and sign-in (src/lib/spaces/invitation.server.ts). */
export const SPACE_INVITE_COOKIE = 'sahakum_invite';

/** BroadcastChannel: other tabs (and pages in this one) hear about outbox changes here. */
export const OUTBOX_CHANNEL = 'sahakum-outbox';
/** Web Locks: only one tab sends the outbox at a time. */
export const OUTBOX_LOCK = 'sahakum-outbox';

/** localStorage: "1" for each draft with edits not yet on the server; this prefix and the draft's id. */
export const UNSENT_DRAFT_PREFIX = 'sahakum:draft-unsent:';
/** localStorage: text typed in a form and not yet sent; this prefix and the form's key (src/lib/ui/typed.ts). */
export const TYPED_PREFIX = 'sahakum:typed:';
/** localStorage: when the install invitation was shown and dismissed (src/lib/pwa/InstallInvitation.svelte). */
export const INSTALL_INVITATION_KEY = 'sahakum:install';
