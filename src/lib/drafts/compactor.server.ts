// The compactor: folds drafts' logs into snapshots and projections in the
// background of the Node server, with the secret key (compact_draft() is
// granted to service_role only, so no person can write a draft's stored
// document except by appending to its log).
//
// Requests never get this client. They may only ask for a draft to be folded
// (`compactSoon`) or wait until it has been (`compactNow`, before naming a
// version); the job reads everything it writes from the database's own log.
// A sweep every minute catches drafts edited through other app servers, and
// rebases drafts quiet for ten minutes whose snapshot has grown past twice a
// fresh document's size (./rebase.ts).
//
// Started by hooks.server.ts `init` when SUPABASE_SECRET_KEY is set (the dev
// script and the test servers set it). Without it nothing is folded: reading
// pages still show the latest text (they read the log past the snapshot), but
// a draft refuses edits once its log reaches the size cap.
import { createClient } from '@supabase/supabase-js';
import ws from 'ws';
import type { Client } from '$lib/supabase/types';
import type { Database } from '$lib/supabase/database.types';
import { foldDraftLog, rebaseDraft } from './compact.server';
import { FoldSchedule } from './fold-schedule';

type Config = { supabaseUrl: string; secretKey: string; log?: (line: string) => void; sweepMs?: number };

/** A draft is rebased only when nobody has typed in it for this long (no editor is open). */
const REBASE_IDLE_SECONDS = 600;

let service: Client | null = null;
let log: (line: string) => void = () => undefined;
const running = new Map<string, Promise<boolean>>();
const again = new Set<string>();
const idleTimers = new Map<string, ReturnType<typeof setTimeout>>();
const schedule = new FoldSchedule();
/** Drafts looked at for a rebase that did not pay, at the log number they had then. */
const notWorthRebasing = new Map<string, number>();

/** Fold this long after the last update stored through this server (or when ./fold-schedule.ts says). */
const IDLE_MS = 20_000;

function startDraftCompactor(config: Config): void {
	if (service) return;
	service = createClient<Database>(config.supabaseUrl, config.secretKey, {
		auth: { persistSession: false, autoRefreshToken: false },
		// Never subscribes; Node 20 has no global WebSocket for the client it builds.
		realtime: { transport: ws as never }
	});
	log = config.log ?? ((line) => console.log(`[drafts] ${line}`));
	const sweep = setInterval(() => void sweepOnce(), config.sweepMs ?? 60_000);
	sweep.unref?.();
	void sweepOnce();
}

async function sweepOnce() {
	if (!service) return;
	const { data, error } = await service.rpc('drafts_to_compact', { p_idle_seconds: 20, p_limit: 20 });
	if (error) return log(`sweep failed: ${error.message}`);
	// A draft typed in through this server is folded by its schedule (or once it is quiet), not here.
	for (const row of data ?? []) if (!schedule.waiting(row.draft_id)) await compactNow(row.draft_id);
	const quiet = await service.rpc('drafts_to_rebase', { p_idle_seconds: REBASE_IDLE_SECONDS });
	if (quiet.error) return log(`rebase sweep failed: ${quiet.error.message}`);
	for (const row of quiet.data ?? []) {
		if (notWorthRebasing.get(row.draft_id) === row.head_seq) continue;
		await rebaseNow(row.draft_id, row.head_seq);
	}
}

/** Rebases one draft when it pays, after any compaction of it that is running. */
async function rebaseNow(draftId: string, headSeq: number) {
	if (!service) return;
	await running.get(draftId);
	const client = service;
	const work = rebaseDraft(client, draftId)
		.then((result) => {
			if (result.rebased) {
				schedule.forget(draftId);
				log(`rebased ${draftId}: ${result.beforeBytes} -> ${result.afterBytes} bytes`);
			} else notWorthRebasing.set(draftId, headSeq);
			return result.rebased;
		})
		.catch((error: unknown) => {
			log(`rebase of ${draftId} failed: ${(error as { message?: string })?.message ?? String(error)}`);
			return false;
		})
		.finally(() => {
			running.delete(draftId);
			if (again.delete(draftId)) void compactNow(draftId);
		});
	running.set(draftId, work);
	await work;
}

/** Folds the draft's log now (one run at a time per draft); false when not running or nothing changed. */
export function compactNow(draftId: string): Promise<boolean> {
	if (!service) return Promise.resolve(false);
	const current = running.get(draftId);
	if (current) {
		// Updates stored while it runs are folded by one more run after it.
		again.add(draftId);
		return current;
	}
	const client = service;
	schedule.folding(draftId);
	const work = foldDraftLog(client, draftId, (bytes) => schedule.folded(draftId, bytes))
		.catch((error: unknown) => {
			log(`compaction of ${draftId} failed: ${(error as { message?: string })?.message ?? String(error)}`);
			return false;
		})
		.finally(() => {
			running.delete(draftId);
			if (again.delete(draftId)) void compactNow(draftId);
		});
	running.set(draftId, work);
	return work;
}

/** An update of `bytes` was stored through this server: fold when the log is due, or once the draft is quiet. */
export function noteDraftStored(draftId: string, bytes: number): void {
	if (!service) return;
	clearTimeout(idleTimers.get(draftId));
	if (schedule.stored(draftId, bytes)) return compactSoon(draftId);
	const timer = setTimeout(() => compactSoon(draftId), IDLE_MS);
	timer.unref?.();
	idleTimers.set(draftId, timer);
}

/** Fold as soon as possible, without waiting for it. */
export function compactSoon(draftId: string): void {
	clearTimeout(idleTimers.get(draftId));
	idleTimers.delete(draftId);
	void compactNow(draftId);
}

/** From the server's environment (hooks.server.ts `init`); says so when drafts will not be folded. */
export function startDraftCompactorFromEnv(env: Record<string, string | undefined>): void {
	if (!env.PUBLIC_SUPABASE_URL || !env.SUPABASE_SECRET_KEY) {
		console.log('[drafts] the compactor is off: SUPABASE_SECRET_KEY not set (README, "Drafts")');
		return;
	}
	startDraftCompactor({ supabaseUrl: env.PUBLIC_SUPABASE_URL, secretKey: env.SUPABASE_SECRET_KEY });
}
