// A draft as the reading page, the print page and the Word export show it:
// always the latest saved text. The stored projections are as of the last
// compaction; when updates have been stored since (someone is typing, or the
// compactor has not run yet), the log is applied to the snapshot here, as the
// person, and projected afresh, so a page opened right after typing never
// shows an empty section or a budget of 0.
import type { Client } from '$lib/supabase/types';
import { draftForReading } from './queries';
import { loadDraftDoc } from './compact.server';
import { projectDoc } from './doc';

export async function currentDraft(supabase: Client, draftId: string) {
	const draft = await draftForReading(supabase, draftId);
	if (!draft || draft.head_seq <= draft.snapshot_seq) return draft;
	const loaded = await loadDraftDoc(supabase, draftId);
	if (!loaded) return draft;
	return { ...draft, projection: projectDoc(loaded.doc), snapshot_seq: loaded.upToSeq };
}
