// A draft's document on the server: loading it from the snapshot and the log
// (as the person, for restoring and for reading pages; as the compactor for
// compaction), folding the log into a new snapshot (the compactor only:
// ./compactor.server.ts) and restoring a named version (as the person).
// The log is applied to a Y.Doc one update at a time (Y.mergeUpdates over
// thousands of updates is far slower). Yjs is loaded here and in the editor
// only, never on a reading page's client.
import * as Y from 'yjs';
import type { Client } from '$lib/supabase/types';
import { fromBase64, toBase64 } from './base64';
import { projectDoc, replaceContent } from './doc';
import { planRebase } from './rebase';
import { catchUp, noteRestore, pushUpdate, versionSnapshot } from './queries';

export type LoadedDraft = {
	doc: Y.Doc;
	/** The document's epoch (./rebase.ts). */
	epoch: number;
	snapshotSeq: number;
	upToSeq: number;
	/** Updates that could not be read (skipped by everyone alike). */
	skipped: number;
	/** The stored snapshot could not be read: the document starts empty from it. */
	snapshotUnreadable: boolean;
};

/**
 * The whole current document as the database has it, and the sequence
 * numbers it covers; null when the client may not read the draft. Nothing
 * stored can make this fail: an unreadable snapshot or update is skipped
 * (and said so), so the draft always loads, compacts and restores.
 */
export async function loadDraftDoc(supabase: Client, draftId: string): Promise<LoadedDraft | null> {
	for (;;) {
		const loaded = await loadOnce(supabase, draftId);
		// A rebase between two pages of the log: start again on the new epoch.
		if (loaded !== 'rebased') return loaded;
	}
}

async function loadOnce(supabase: Client, draftId: string): Promise<LoadedDraft | null | 'rebased'> {
	const doc = new Y.Doc();
	let epoch: number | null = null;
	let after = -1;
	let snapshotSeq = 0;
	let skipped = 0;
	let snapshotUnreadable = false;
	for (;;) {
		const page = await catchUp(supabase, draftId, after, 2000, epoch);
		if (!page) return null;
		if (epoch !== null && page.epoch !== epoch) return 'rebased';
		epoch = page.epoch;
		if (page.snapshot) {
			try {
				Y.applyUpdate(doc, page.snapshot);
			} catch {
				snapshotUnreadable = true;
			}
			snapshotSeq = page.snapshotSeq;
			after = Math.max(after, page.snapshotSeq);
		}
		for (const update of page.updates) {
			try {
				Y.applyUpdate(doc, update.data);
			} catch {
				skipped++; // an unreadable update changes nothing for anyone (clients skip it too)
			}
			after = update.seq;
		}
		if (!page.updates.length || after >= page.headSeq)
			return { doc, epoch, snapshotSeq, upToSeq: after, skipped, snapshotUnreadable };
	}
}

/** The compaction's payload goes in pieces, so no request body limit stops a draft the log accepted. */
const PART_CHARS = 512 * 1024;

/**
 * Folds the log into a new snapshot and projections. `service` is the
 * compactor's secret-key client (compact_draft is not a person's to call);
 * the snapshot and projections come from the database's own log, never from
 * a request. False when there was nothing to fold or another compaction won.
 * `sized` hears the new snapshot's size (the compactor's FoldSchedule).
 */
export async function foldDraftLog(
	service: Client,
	draftId: string,
	sized?: (snapshotBytes: number) => void
): Promise<boolean> {
	const loaded = await loadDraftDoc(service, draftId);
	if (!loaded || (loaded.upToSeq <= loaded.snapshotSeq && !loaded.snapshotUnreadable)) return false;
	const snapshot = Y.encodeStateAsUpdate(loaded.doc);
	sized?.(snapshot.length);
	const payload = JSON.stringify({
		snapshot: toBase64(snapshot),
		projection: projectDoc(loaded.doc),
		repaired: loaded.snapshotUnreadable
	});
	const { token, parts } = await stage(service, payload);
	const { data, error } = await service.rpc('compact_draft', {
		p_draft: draftId,
		p_from_seq: loaded.snapshotSeq,
		p_up_to_seq: loaded.upToSeq,
		p_token: token,
		p_parts: parts
	});
	if (error) throw error;
	return data === true;
}

/** Sends a payload in pieces under a new token (stage_draft_compaction), for compact_draft or rebase_draft. */
async function stage(service: Client, payload: string) {
	const token = crypto.randomUUID();
	const parts = Math.ceil(payload.length / PART_CHARS);
	for (let part = 0; part < parts; part++) {
		const { error } = await service.rpc('stage_draft_compaction', {
			p_token: token,
			p_part: part,
			p_data: payload.slice(part * PART_CHARS, (part + 1) * PART_CHARS)
		});
		if (error) throw error;
	}
	return { token, parts };
}

export type RebaseResult = { rebased: boolean; beforeBytes: number; afterBytes: number };

/**
 * Rebases a quiet, compacted draft (./rebase.ts) when its snapshot is past
 * twice a fresh document's size: the fresh document becomes a new epoch.
 * `service` is the compactor's client. Not rebased when something was stored
 * since it was read, or when it would not pay.
 */
export async function rebaseDraft(service: Client, draftId: string): Promise<RebaseResult> {
	const loaded = await loadDraftDoc(service, draftId);
	const none = { rebased: false, beforeBytes: 0, afterBytes: 0 };
	if (!loaded || loaded.upToSeq !== loaded.snapshotSeq || loaded.skipped || loaded.snapshotUnreadable)
		return none;
	const plan = planRebase(loaded.doc);
	if (!plan) return { ...none, beforeBytes: Y.encodeStateAsUpdate(loaded.doc).length };
	const { token, parts } = await stage(
		service,
		JSON.stringify({ snapshot: toBase64(plan.snapshot), projection: plan.projection })
	);
	const { data, error } = await service.rpc('rebase_draft', {
		p_draft: draftId,
		p_base_seq: loaded.snapshotSeq,
		p_token: token,
		p_parts: parts
	});
	if (error) throw error;
	return { rebased: data === true, beforeBytes: plan.beforeBytes, afterBytes: plan.afterBytes };
}

/**
 * Makes a named version the current content again, as one new update in the
 * log by the person restoring (so the history names them, and open editors
 * get it like any other update). Works whatever the current state holds:
 * an unreadable snapshot loads as an empty document.
 */
export async function restoreVersion(supabase: Client, draftId: string, versionId: string) {
	const [loaded, snapshot] = await Promise.all([
		loadDraftDoc(supabase, draftId),
		versionSnapshot(supabase, versionId)
	]);
	if (!loaded || !snapshot) return { error: { code: 'P0001', message: 'not_allowed' } };
	const version = new Y.Doc();
	try {
		Y.applyUpdate(version, fromBase64(snapshot));
	} catch {
		return { error: { code: 'P0001', message: 'version_unreadable' } };
	}
	const updates: Uint8Array[] = [];
	loaded.doc.on('update', (u: Uint8Array) => updates.push(u));
	replaceContent(loaded.doc, version);
	if (updates.length) {
		const { error } = await pushUpdate(supabase, {
			id: crypto.randomUUID(),
			draftId,
			update: toBase64(Y.mergeUpdates(updates)),
			scope: 'restore',
			epoch: loaded.epoch,
			announce: true
		});
		if (error) return { error };
	}
	const noted = await noteRestore(supabase, draftId, versionId);
	if (noted.error) return { error: noted.error };
	return { error: null };
}
