// Keeping a draft on the phone: y-indexeddb holds the whole document (it
// opens and can be edited offline), and its key-value store holds what the
// sync needs after a reload (the last number applied, what the server has).
import { IndexeddbPersistence } from 'y-indexeddb';
import { DRAFT_DB_PREFIX } from '$lib/keys';
import type * as Y from 'yjs';
import type { SyncMeta, SyncStore } from '../sync';

export async function deviceStore(
	doc: Y.Doc,
	draftId: string
): Promise<SyncStore & { destroy(): Promise<void> }> {
	const persistence = new IndexeddbPersistence(DRAFT_DB_PREFIX + draftId, doc);
	await persistence.whenSynced;
	return {
		async load() {
			const meta: unknown = await persistence.get('sync');
			return typeof meta === 'string' ? (JSON.parse(meta) as SyncMeta) : null;
		},
		async save(meta) {
			await persistence.set('sync', JSON.stringify(meta));
		},
		async clear() {
			await persistence.clearData();
		},
		destroy: () => persistence.destroy()
	};
}
