// When the compactor folds a draft's log into its snapshot. A fold rewrites the
// whole snapshot (load, apply, encode, store in pieces), so its cost grows with
// the snapshot, while what it saves (the updates an editor opening the draft
// applies after the snapshot) grows with the log. Folding after every 200
// updates made a busy draft's compactions ever more frequent work for ever
// less gain: with 10 people typing for 10 minutes the snapshot reached 336 KiB
// (deletions leave tombstones until the draft is rebased), each fold took
// ~730 ms of the server's time every 5 s, and updates waited behind it.
// So: fold once the log is at least a share of the snapshot's size (after at
// least MIN_UPDATES), and always by MAX_UPDATES, which bounds what an opening
// editor applies. Pure bookkeeping: the compactor (compactor.server.ts) and
// bench:drafts use the same rule.

/** Never fold a log shorter than this (a quiet draft is folded after IDLE_MS instead). */
export const MIN_UPDATES = 200;
/** Always fold by this many updates, whatever the snapshot's size. */
export const MAX_UPDATES = 2000;
/** Fold once the log's bytes reach this share of the snapshot's. */
export const LOG_SHARE = 0.25;

export class FoldSchedule {
	private readonly pending = new Map<string, { updates: number; bytes: number }>();
	private readonly snapshotBytes = new Map<string, number>();

	/** `logShare` 0 folds after every MIN_UPDATES updates (the earlier rule, for an A/B). */
	constructor(private readonly logShare = LOG_SHARE) {}

	/** An update of `bytes` was stored: true when the draft's log is now due to be folded. */
	stored(draftId: string, bytes: number): boolean {
		const log = this.pending.get(draftId) ?? { updates: 0, bytes: 0 };
		log.updates += 1;
		log.bytes += bytes;
		this.pending.set(draftId, log);
		if (log.updates >= MAX_UPDATES) return true;
		// Until this server has folded the draft once, its snapshot's size is unknown: 0.
		const snapshot = this.snapshotBytes.get(draftId) ?? 0;
		return log.updates >= MIN_UPDATES && log.bytes >= snapshot * this.logShare;
	}

	/** Updates stored through this server wait for a fold (its idle timer or the rule above will fold them). */
	waiting(draftId: string): boolean {
		return this.pending.has(draftId);
	}

	/** The log was folded (or a fold is starting on everything stored so far). */
	folding(draftId: string): void {
		this.pending.delete(draftId);
	}

	/** A fold finished with a snapshot of this size. */
	folded(draftId: string, snapshotBytes: number): void {
		this.snapshotBytes.set(draftId, snapshotBytes);
	}

	/** Forget a draft (rebased: its snapshot starts small again). */
	forget(draftId: string): void {
		this.pending.delete(draftId);
		this.snapshotBytes.delete(draftId);
	}
}
