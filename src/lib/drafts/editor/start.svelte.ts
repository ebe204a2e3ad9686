// The edit page's entry, imported dynamically after first paint: Yjs,
// ProseMirror, y-indexeddb and realtime-js load here and nowhere else.
import * as Y from 'yjs';
import { mount, unmount } from 'svelte';
import { realtimeClient } from '$lib/realtime/client';
import { appServerApi } from '../api';
import { DraftSync, type SyncState } from '../sync';
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

export async function startEditor(
	target: HTMLElement,
	props: {
		draftId: string;
		kind: DraftKind;
		language: string;
		user: { id: string; name: string };
		syncUrl: string;
	}
): Promise<() => void> {
	const doc = new Y.Doc();
	// IndexedDB can be missing (private browsing): then the draft is not kept offline.
	const store = await deviceStore(doc, props.draftId).catch(() => undefined);
	let state = $state<SyncState>('connecting');
	const sync = new DraftSync({
		doc,
		draftId: props.draftId,
		api: appServerApi(props.syncUrl, await realtimeClient()),
		store,
		user: { name: props.user.name, color: colourOf(props.user.id) },
		onState: (s) => {
			state = s;
			// Changes the server lacks: signing out on this phone warns first.
			if (s === 'saving' || s === 'offline') markDraftUnsent(props.draftId, true);
			else if (s === 'saved' || s === 'no_access') markDraftUnsent(props.draftId, false);
		}
	});
	await sync.start();
	const live = new LiveDoc(doc, sync.awareness);
	const app = mount(DraftEditor, {
		target,
		props: { live, sync, kind: props.kind, language: props.language, syncState: () => state }
	});
	const online = () => sync.online();
	window.addEventListener('online', online);
	return () => {
		window.removeEventListener('online', online);
		void unmount(app);
		sync.stop();
		live.destroy();
		void store?.destroy();
		doc.destroy();
	};
}
