// The edit page's entry, imported dynamically after first paint: Yjs,
// ProseMirror, y-indexeddb and realtime-js load here and nowhere else.
import * as Y from 'yjs';
import { mount, unmount } from 'svelte';
import { realtimeClient } from '$lib/realtime/client';
import { appServerApi } from '../api';
import { DraftSync, type Carry, type SyncState } from '../sync';
import type { DraftKind } from '../types';
import { markDraftUnsent } from '$lib/offline/unsent-drafts';
import { deviceStore } from './store';
import { LiveDoc } from './live.svelte';
import DraftEditor from './DraftEditor.svelte';

/** A cursor colour per person (6-digit hex, as y-prosemirror wants). */
function colourOf(id: string): string {
	let hash = 0;
	for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
	const palette = ['#b3261e', '#0f6e5c', '#6b3fa0', '#c05a00', '#1f5fa8', '#8a6d00', '#a0306b', '#2e7d32'];
	return palette[hash % palette.length];
}

type EditorProps = {
	draftId: string;
	kind: DraftKind;
	language: string;
	user: { id: string; name: string };
	syncUrl: string;
};

export async function startEditor(target: HTMLElement, props: EditorProps): Promise<() => void> {
	let closeCurrent: () => void = () => undefined;
	let closed = false;
	let current: DraftSync | null = null;
	// Rebased (../rebase.ts): this copy is dropped and the editor opens again
	// on a new document, carrying over what this phone had not stored.
	const open = async (carry?: Carry) => {
		const opened = await openEditor(target, props, carry, (next) => {
			if (!closed) void open(next ?? undefined);
		});
		if (closed) return opened.close();
		if (opened.isClosed()) return; // rebased while opening: the next one is on its way
		current = opened.sync;
		closeCurrent = opened.close;
	};
	await open();
	const online = () => current?.online();
	window.addEventListener('online', online);
	return () => {
		closed = true;
		window.removeEventListener('online', online);
		closeCurrent();
	};
}

async function openEditor(
	target: HTMLElement,
	props: EditorProps,
	carry: Carry | undefined,
	onRebased: (carry: Carry | null) => void
) {
	const doc = new Y.Doc();
	// Started now, awaited only when the channel joins: the first catch-up does
	// not wait for realtime-js and the access token (one round trip less).
	const realtime = realtimeClient();
	// IndexedDB can be missing (private browsing): then the draft is not kept offline.
	const store = await deviceStore(doc, props.draftId).catch(() => undefined);
	let state = $state<SyncState>('connecting');
	const sync = new DraftSync({
		doc,
		draftId: props.draftId,
		api: appServerApi(props.syncUrl, realtime),
		store,
		carry,
		onRebased: (next) => {
			close();
			onRebased(next);
		},
		user: { name: props.user.name, color: colourOf(props.user.id) },
		onState: (s) => {
			state = s;
			// Changes the server lacks: signing out on this phone warns first.
			if (s === 'saving' || s === 'offline') markDraftUnsent(props.draftId, true);
			else if (s === 'saved' || s === 'no_access') markDraftUnsent(props.draftId, false);
		}
	});
	let app: ReturnType<typeof mount> | null = null;
	let live: LiveDoc | null = null;
	let closed = false;
	const close = () => {
		if (closed) return;
		closed = true;
		if (app) void unmount(app);
		sync.stop();
		live?.destroy();
		void store?.destroy();
		doc.destroy();
	};
	await sync.start();
	if (!closed) {
		live = new LiveDoc(doc, sync.awareness);
		app = mount(DraftEditor, {
			target,
			props: { live, sync, kind: props.kind, language: props.language, syncState: () => state }
		});
	}
	return { sync, close, isClosed: () => closed };
}
