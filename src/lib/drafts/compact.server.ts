// Compaction and restore, run by the app server as the person (their own
// session: the policies decide). The log is applied to a Y.Doc one update at
// a time (Y.mergeUpdates over thousands of updates is far slower), then the
// new snapshot and its projections go back in one RPC under the draft's lock.
// Yjs is loaded here and in the editor only, never on a reading page.
import * as Y from 'yjs';
import type { Client } from '$lib/supabase/types';
import { fromBase64, toBase64 } from './base64';
import { projectDoc, replaceContent } from './doc';
import { catchUp, compactRpc, noteRestore, pushUpdate, versionSnapshot } from './queries';

/** The whole current document as the server has it, and the sequence numbers it covers. */
export async function loadDraftDoc(supabase: Client, draftId: string) {
	const doc = new Y.Doc();
	let after = -1;
	let snapshotSeq = 0;
	let skipped = 0;
	for (;;) {
		const page = await catchUp(supabase, draftId, after, 2000);
		if (!page) return null;
		if (page.snapshot) {
			Y.applyUpdate(doc, fromBase64(page.snapshot));
			snapshotSeq = page.snapshotSeq;
			after = Math.max(after, page.snapshotSeq);
		}
		for (const update of page.updates) {
			try {
				Y.applyUpdate(doc, fromBase64(update.data));
			} catch {
				skipped++; // an unreadable update changes nothing for anyone (clients skip it too)
			}
			after = update.seq;
		}
		if (!page.updates.length || after >= page.headSeq) return { doc, snapshotSeq, upToSeq: after, skipped };
	}
}

const running = new Map<string, Promise<boolean>>();

/** Folds the log into a new snapshot and projections. One at a time per draft in this server. */
export function compactDraft(supabase: Client, draftId: string): Promise<boolean> {
	const current = running.get(draftId);
	if (current) return current;
	const work = (async () => {
		const loaded = await loadDraftDoc(supabase, draftId);
		if (!loaded || loaded.upToSeq <= loaded.snapshotSeq) return false;
		const { error, data } = await compactRpc(supabase, {
			draftId,
			fromSeq: loaded.snapshotSeq,
			upToSeq: loaded.upToSeq,
			snapshot: toBase64(Y.encodeStateAsUpdate(loaded.doc)),
			projection: projectDoc(loaded.doc)
		});
		if (error) throw error;
		return data === true;
	})().finally(() => running.delete(draftId));
	running.set(draftId, work);
	return work;
}

/**
 * Makes a named version the current content again, as one new update in the
 * log by the person restoring (announced on the draft's channel so open
 * editors fetch it), then compacts.
 */
export async function restoreVersion(supabase: Client, draftId: string, versionId: string) {
	const [loaded, snapshot] = await Promise.all([
		loadDraftDoc(supabase, draftId),
		versionSnapshot(supabase, versionId)
	]);
	if (!loaded || !snapshot) return { error: { code: 'P0001', message: 'not_allowed' } };
	const version = new Y.Doc();
	Y.applyUpdate(version, fromBase64(snapshot));
	const updates: Uint8Array[] = [];
	loaded.doc.on('update', (u: Uint8Array) => updates.push(u));
	replaceContent(loaded.doc, version);
	if (updates.length) {
		const { error } = await pushUpdate(supabase, {
			id: crypto.randomUUID(),
			draftId,
			update: toBase64(Y.mergeUpdates(updates)),
			scope: 'restore',
			announce: true
		});
		if (error) return { error };
	}
	const noted = await noteRestore(supabase, draftId, versionId);
	if (noted.error) return { error: noted.error };
	await compactDraft(supabase, draftId).catch(() => false);
	return { error: null };
}
