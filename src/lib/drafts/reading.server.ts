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

type Draft = NonNullable<Awaited<ReturnType<typeof draftForReading>>>;

export const currentDraft = async (supabase: Client, draftId: string) =>
	withLatestText(supabase, await draftForReading(supabase, draftId));

/** The draft as read, or with the updates stored since its snapshot applied and projected. */
export async function withLatestText<D extends Draft | null>(supabase: Client, draft: D): Promise<D> {
	if (!draft || draft.head_seq <= draft.snapshot_seq) return draft;
	const draftId = draft.id;
	const loaded = await loadDraftDoc(supabase, draftId);
	if (!loaded) return draft;
	return { ...draft, projection: projectDoc(loaded.doc), snapshot_seq: loaded.upToSeq };
}
