// Keeps a draft's Y.Doc in step with everyone else's, through Supabase only:
// the update log (RPCs, under RLS) and the private draft:<id> broadcast
// channel. Used by the editor in the browser and by the convergence tests
// and the benchmark in Node (same code; ./api.ts says how it reaches Supabase).
//
// - A local change is stored (push_draft_update, client-made id, so a retry
//   stores it once), and the database announces every stored update on the
//   channel with its number and author. Clients never send on draft topics
//   (a restrictive policy refuses it), so nobody can make the others apply
//   what the log does not hold, or skip a number the log does: a member
//   removed mid-edit sees "no longer allowed" and the others' documents never
//   contain what the database refused.
// - Receiving: an announced update is applied at once; the log is the truth.
//   A gap in the numbers, a rejoin, a "stored" notice from the database (a
//   restore made on the server) or coming back online fetches the log after
//   the last number seen (draft_catch_up). Numbers have no gaps and commit
//   in order, so "after N" never misses anything.
// - Offline: changes wait in memory (and, in the browser, the whole
//   document is kept in IndexedDB by y-indexeddb); what the server already
//   has is tracked as a state vector, so after a reload the difference is
//   sent as one update.
// - Rebased (./rebase.ts): each catch-up and store says the document's epoch
//   this device works on. On another epoch, the device forgets its copy and
//   its owner starts again on the current one (`onRebased`), carrying over
//   what this device had not stored yet (`carry`).
// - Cursors travel as y-protocols awareness updates through the database
//   (draft_awareness), which adds who sent them: a cursor is shown with the
//   sender's own name, and one person's awareness client cannot be taken
//   over by another.
import * as Y from 'yjs';
import type { RealtimeChannel } from '@supabase/realtime-js';
import {
	Awareness,
	applyAwarenessUpdate,
	encodeAwarenessUpdate,
	removeAwarenessStates
} from 'y-protocols/awareness';
import type { ApiError, DraftApi } from './api';
import { verifiedAwareness } from './awareness';
import { fromBase64, toBase64 } from './base64';
import { activitiesOf, budgetOf, sectionsOf } from './doc';
import type { CatchUp } from './queries';
import { carryOver } from './rebase';
import { UPDATE_MAX_BYTES } from './limits';

/** Transaction origin of what came from others (never pushed again). */
const REMOTE = Symbol('remote');
/** Transaction origin of changes carried over a rebase. */
const CARRIED = Symbol('carried');

export type SyncState = 'connecting' | 'saved' | 'saving' | 'offline' | 'no_access' | 'too_large';

/** What must survive a reload: the last number applied and what the server has. */
export interface SyncStore {
	load(): Promise<SyncMeta | null>;
	save(meta: SyncMeta): Promise<void>;
	/** Forget everything kept on this device (access ended). */
	clear(): Promise<void>;
}
export type SyncMeta = {
	lastSeq: number;
	serverSV: [number, number][];
	dirty: boolean;
	/** The document's epoch; absent on devices from before rebasing existed (epoch 0), null before the first catch-up. */
	epoch?: number | null;
};

/** What a device had not stored when the draft was rebased (base64): the old epoch's last document and its own. */
export type Carry = { previous: string; local: string };

export interface SyncOptions {
	doc: Y.Doc;
	draftId: string;
	api: DraftApi;
	store?: SyncStore;
	/** Name and colour shown with this person's cursor. */
	user?: { name: string; color: string };
	flushDelayMs?: number;
	/** How often to look at the log for updates whose broadcast was lost. */
	pollMs?: number;
	onState?: (state: SyncState) => void;
	/** Changes this device made on an earlier epoch, to carry into the current one once caught up. */
	carry?: Carry;
	/**
	 * The draft was rebased: this sync has stopped and forgotten the device's
	 * copy; its owner starts a new one on a new Y.Doc with `carry`.
	 */
	onRebased?: (carry: Carry | null) => void;
	/** For measurements: called for each update announced by the database. */
	onRemote?: (payload: UpdateMessage) => void;
}

/** What the database announces for each stored update (announce_draft_update). */
export type UpdateMessage = { id: string; seq: number; u: string; by: string | null };

type Pending = { update: Uint8Array; scope: string };

/**
 * The database said no: this person may not edit the draft (removed from the
 * space). Not signed in (a session that expired, a 401) is not a refusal:
 * what waits stays on the phone until they sign in again, as in the outbox.
 */
const isRefusal = (error: { message?: string; code?: string } | null) =>
	!!error &&
	!/not_signed_in|JWT|401/.test(`${error.code} ${error.message}`) &&
	/not_allowed|row-level|permission|42501|403/.test(`${error.code} ${error.message}`);

/** Which part of the draft a transaction changed, for the history. */
export function scopeOf(doc: Y.Doc, transaction: Y.Transaction): string {
	const sections = sectionsOf(doc);
	const budget = budgetOf(doc);
	const activities = activitiesOf(doc);
	const parentOf = (t: unknown): unknown =>
		(t as { _item: { parent: unknown } | null })._item?.parent ?? null;
	for (const type of transaction.changed.keys()) {
		let current: unknown = type;
		while (current) {
			const parent = parentOf(current);
			if (current === budget) return 'budget';
			if (current === activities) return 'plan';
			if (parent === sections && current instanceof Y.Map) return `section:${String(current.get('id'))}`;
			if (current === sections) return 'sections';
			current = parent;
		}
	}
	return '';
}

const decodeSV = (sv: Uint8Array) => Y.decodeStateVector(sv);

export class DraftSync {
	readonly doc: Y.Doc;
	readonly awareness: Awareness;
	state: SyncState = 'connecting';
	lastSeq = -1;
	/** The document's epoch this copy is on; null until the first catch-up. */
	epoch: number | null = null;
	private readonly options: SyncOptions;
	private serverSV = new Map<number, number>();
	/** Numbers applied above lastSeq (own updates, broadcasts that arrived early). */
	private ahead = new Set<number>();
	private queue: Pending[] = [];
	private inFlight: { id: string; update: Uint8Array; scope: string } | null = null;
	private flushing = false;
	private channel: RealtimeChannel | null = null;
	private joined = false;
	/** Whose each awareness client is, as the database said when it first spoke. */
	private awarenessOwners = new Map<number, string>();
	private pollTimer: ReturnType<typeof setInterval> | null = null;
	private stopped = false;
	private flushTimer: ReturnType<typeof setTimeout> | null = null;
	private retryTimer: ReturnType<typeof setTimeout> | null = null;
	private retryMs = 500;
	private catchingUp: Promise<void> | null = null;
	private catchUpAgain = false;
	private awarenessTimer: ReturnType<typeof setTimeout> | null = null;
	private awarenessChanged = new Set<number>();
	private gapTimer: ReturnType<typeof setTimeout> | null = null;
	private readonly onUpdate = (update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => {
		if (origin === REMOTE || this.stopped || this.state === 'no_access') return;
		this.queue.push({ update, scope: origin === CARRIED ? 'offline' : scopeOf(this.doc, tr) });
		this.persist(true);
		this.scheduleFlush();
	};
	private readonly onAwareness = ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
		if (origin !== 'local') return;
		for (const id of [...added, ...updated, ...removed]) this.awarenessChanged.add(id);
		// Each goes through the app server and the database: a few a second are plenty for cursors.
		this.awarenessTimer ??= setTimeout(() => this.sendAwareness(), 300);
	};

	constructor(options: SyncOptions) {
		this.options = options;
		this.doc = options.doc;
		this.awareness = new Awareness(this.doc);
		if (options.user) this.awareness.setLocalStateField('user', options.user);
		this.doc.on('update', this.onUpdate);
		this.awareness.on('update', this.onAwareness);
	}

	/** Loads what this device kept, catches up with the log, sends what the server lacks, then goes live. */
	async start(): Promise<void> {
		const meta = await this.options.store?.load().catch(() => null);
		if (meta) {
			this.lastSeq = meta.lastSeq;
			this.serverSV = new Map(meta.serverSV);
			this.epoch = meta.epoch === undefined ? 0 : meta.epoch;
		}
		await this.catchUp();
		if (this.stopped || this.state === 'no_access') return;
		const carry = this.options.carry;
		if (carry)
			carryOver(this.doc, { previous: fromBase64(carry.previous), local: fromBase64(carry.local) }, CARRIED);
		if (meta?.dirty || this.hasUnsent()) {
			const diff = Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(this.serverSV));
			this.queue.unshift({ update: diff, scope: 'offline' });
		}
		// Not awaited: the editor opens on what the catch-up brought while the channel
		// joins (its SUBSCRIBED catches up again, so nothing stored meanwhile is missed).
		void this.join();
		void this.flush();
		// A lost broadcast shows as a gap only when a later one arrives: look at the log now and then.
		this.pollTimer = setInterval(() => {
			if (this.joined && this.idle) void this.catchUp();
		}, this.options.pollMs ?? 10_000);
	}

	private hasUnsent(): boolean {
		for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(this.doc))) {
			if ((this.serverSV.get(client) ?? 0) < clock) return true;
		}
		return false;
	}

	private learn(update: Uint8Array) {
		for (const [client, clock] of decodeSV(Y.encodeStateVectorFromUpdate(update))) {
			if ((this.serverSV.get(client) ?? 0) < clock) this.serverSV.set(client, clock);
		}
	}

	private setState(state: SyncState) {
		if (this.state === state || (this.state === 'no_access' && state !== 'no_access')) return;
		this.state = state;
		this.options.onState?.(state);
	}

	private persist(dirty = this.queue.length > 0 || !!this.inFlight) {
		void this.options.store
			?.save({ lastSeq: this.lastSeq, serverSV: [...this.serverSV], dirty, epoch: this.epoch })
			.catch(() => undefined);
	}

	private scheduleFlush() {
		if (this.flushTimer || this.flushing) return;
		this.flushTimer = setTimeout(() => {
			this.flushTimer = null;
			void this.flush();
		}, this.options.flushDelayMs ?? 50);
	}

	/** Stores the waiting changes (one update in flight at a time, in order), then broadcasts them. */
	async flush(): Promise<void> {
		if (this.stopped || this.flushing || this.state === 'no_access') return;
		this.flushing = true;
		try {
			await this.flushOnce();
		} finally {
			this.flushing = false;
		}
		if (this.queue.length && !this.stopped && this.state !== 'offline') void this.flush();
	}

	private async flushOnce(): Promise<void> {
		if (this.retryTimer) clearTimeout(this.retryTimer);
		this.retryTimer = null;
		// Not caught up yet: which epoch the changes belong to is not known.
		if (this.epoch === null) return;
		if (!this.inFlight && this.queue.length) {
			const batch = this.queue.splice(0);
			const update = batch.length === 1 ? batch[0].update : Y.mergeUpdates(batch.map((p) => p.update));
			if (update.length > UPDATE_MAX_BYTES && batch.length > 1) {
				// Too big together: store them one by one.
				this.queue.unshift(...batch.slice(1));
				this.inFlight = { id: crypto.randomUUID(), update: batch[0].update, scope: batch[0].scope };
			} else {
				this.inFlight = { id: crypto.randomUUID(), update, scope: batch[0].scope };
			}
		}
		const job = this.inFlight;
		if (!job) {
			this.setState('saved');
			this.persist(false);
			return;
		}
		if (job.update.length > UPDATE_MAX_BYTES) {
			this.inFlight = null;
			this.setState('too_large');
			return;
		}
		this.setState('saving');
		let result: { seq: number | null; error: ApiError | null };
		try {
			result = await this.options.api.push({
				id: job.id,
				update: job.update,
				scope: job.scope,
				epoch: this.epoch
			});
		} catch (error) {
			result = { seq: null, error: { message: String(error), code: '' } };
		}
		if (this.stopped) return;
		const { seq, error } = result;
		if (error) {
			if (isRefusal(error)) return this.lose();
			if (/stale_epoch/.test(error.message)) {
				// Rebased since: the catch-up sees the new epoch and starts again, carrying this over.
				void this.catchUp();
				return;
			}
			if (/update_too_large|draft_too_large/.test(error.message)) {
				this.inFlight = null;
				this.setState('too_large');
			} else if (/corrupt_update/.test(error.message)) {
				this.inFlight = null;
			} else if (/too_fast/.test(error.message)) {
				// Over the per-person rate: the same id again in a moment, still "saving".
				this.retryTimer = setTimeout(() => void this.flush(), 2_000);
				return;
			} else {
				// Offline or the server is busy: the same id again later.
				this.setState('offline');
				this.retryTimer = setTimeout(() => void this.flush(), this.retryMs);
				this.retryMs = Math.min(this.retryMs * 2, 15_000);
				return;
			}
		} else {
			this.retryMs = 500;
			this.inFlight = null;
			this.learn(job.update);
			this.applied(Number(seq));
		}
		this.persist();
		if (!this.queue.length) this.setState('saved');
	}

	/** Access ended: stop, keep nothing on this device. */
	private lose() {
		this.queue = [];
		this.inFlight = null;
		this.setState('no_access');
		void this.options.store?.clear().catch(() => undefined);
		this.leave();
	}

	/** Fetches the log after the last number applied (and the snapshot when behind it). */
	catchUp(): Promise<void> {
		if (this.catchingUp) {
			this.catchUpAgain = true;
			return this.catchingUp;
		}
		this.catchingUp = (async () => {
			do {
				this.catchUpAgain = false;
				await this.catchUpOnce();
			} while (this.catchUpAgain && !this.stopped);
		})().finally(() => (this.catchingUp = null));
		return this.catchingUp;
	}

	private async catchUpOnce() {
		for (;;) {
			let page: CatchUp | null;
			try {
				page = await this.options.api.catchUp(this.lastSeq, 500, this.epoch);
			} catch (error) {
				if (isRefusal(error as { message?: string })) return this.lose();
				this.setState('offline');
				return;
			}
			if (this.stopped) return;
			if (!page) return this.lose();
			if (this.epoch === null) this.epoch = page.epoch;
			else if (page.epoch !== this.epoch) return this.rebased();
			if (page.snapshot) {
				this.apply(page.snapshot);
				this.lastSeq = Math.max(this.lastSeq, page.snapshotSeq);
			}
			this.lastSeq = Math.max(this.lastSeq, page.snapshotSeq);
			for (const update of page.updates) {
				this.apply(update.data);
				this.lastSeq = Math.max(this.lastSeq, update.seq);
			}
			for (const seq of this.ahead) if (seq <= this.lastSeq) this.ahead.delete(seq);
			while (this.ahead.delete(this.lastSeq + 1)) this.lastSeq++;
			this.persist();
			if (this.state === 'connecting' || this.state === 'offline')
				this.setState(this.idle ? 'saved' : 'saving');
			if (page.updates.length < 500) return;
		}
	}

	/**
	 * The draft was rebased since this copy was made: keep what was not
	 * stored yet (with the document the old epoch ended with, to merge it by),
	 * forget this copy, and let the owner start again on the current epoch.
	 */
	private async rebased() {
		let carry: Carry | null = null;
		if (this.epoch !== null && (!this.idle || this.hasUnsent())) {
			let previous: string | null;
			try {
				previous = await this.options.api.rebaseBase(this.epoch);
			} catch {
				this.setState('offline'); // tried again at the next catch-up
				return;
			}
			if (this.stopped) return;
			if (previous) carry = { previous, local: toBase64(Y.encodeStateAsUpdate(this.doc)) };
		}
		this.stop();
		await this.options.store?.clear().catch(() => undefined);
		this.options.onRebased?.(carry);
	}

	private apply(update: Uint8Array) {
		try {
			Y.applyUpdate(this.doc, update, REMOTE);
			this.learn(update);
		} catch {
			// An unreadable update changes nothing for anyone: the server skips it too.
		}
	}

	private async join() {
		const topic = `draft:${this.options.draftId}`;
		const channel = await this.options.api.channel(topic).catch(() => null);
		// Not reachable (realtime-js failed to load): the poll below still catches up.
		if (!channel) return;
		if (this.stopped) return this.options.api.removeChannel(channel);
		this.channel = channel;
		this.channel
			.on('broadcast', { event: 'update' }, ({ payload }) => this.received(payload as UpdateMessage))
			.on('broadcast', { event: 'stored' }, () => void this.catchUp())
			.on('broadcast', { event: 'rebased' }, () => void this.catchUp())
			.on('broadcast', { event: 'awareness' }, ({ payload }) => this.receivedAwareness(payload))
			.subscribe((status) => {
				if (this.stopped) return;
				this.joined = status === 'SUBSCRIBED';
				if (status === 'SUBSCRIBED') {
					this.announce(true);
					// Whatever was stored before the join (or during a gap: network down,
					// phone asleep) came with no broadcast to us: fetch it.
					void this.catchUp().then(() => this.flush());
				} else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') {
					// Refused (no longer a member) or unreachable: the log tells which.
					void this.catchUp();
				}
			});
	}

	private received(message: UpdateMessage) {
		if (this.stopped || typeof message?.u !== 'string' || !Number.isFinite(message.seq)) return;
		if (message.seq <= this.lastSeq) return;
		this.options.onRemote?.(message);
		let update: Uint8Array;
		try {
			update = fromBase64(message.u);
		} catch {
			return;
		}
		this.apply(update);
		this.applied(message.seq);
		// A gap: a broadcast got lost or is still on its way. Wait a moment, then ask the log.
		if (this.ahead.size && !this.gapTimer) {
			this.gapTimer = setTimeout(() => {
				this.gapTimer = null;
				if (this.ahead.size) void this.catchUp();
			}, 400);
		}
		this.persist();
	}

	private applied(seq: number) {
		if (seq <= this.lastSeq) return;
		this.ahead.add(seq);
		while (this.ahead.delete(this.lastSeq + 1)) this.lastSeq++;
	}

	/**
	 * Another editor's cursor, as the database passed it on: one awareness
	 * client per message, bound to the person who first used it, shown with
	 * that person's own name. Anything else is ignored.
	 */
	private receivedAwareness(payload: unknown) {
		const { a, by, name, hello } = (payload ?? {}) as Record<string, unknown>;
		if (typeof a !== 'string' || typeof by !== 'string') return;
		const verified = verifiedAwareness(a, by, typeof name === 'string' ? name : '', {
			own: this.doc.clientID,
			owners: this.awarenessOwners
		});
		if (verified) applyAwarenessUpdate(this.awareness, verified, REMOTE);
		if (hello === true) this.announce();
	}

	private announce(hello = false) {
		const state = this.awareness.getLocalState();
		if (!this.channel || !state) return;
		this.sendOwnAwareness(hello);
	}

	private sendAwareness() {
		this.awarenessTimer = null;
		// Only this client's own state is ever sent (others' are theirs to send).
		const mine = this.awarenessChanged.has(this.doc.clientID);
		this.awarenessChanged.clear();
		if (this.channel && mine) this.sendOwnAwareness(false);
	}

	private sendOwnAwareness(hello: boolean) {
		const a = toBase64(encodeAwarenessUpdate(this.awareness, [this.doc.clientID]));
		void this.options.api.awareness(a, hello).catch(() => undefined);
	}

	/** The browser says it is back online: catch up and send what waited. */
	online() {
		if (this.retryTimer) clearTimeout(this.retryTimer);
		this.retryMs = 500;
		void this.catchUp().then(() => this.flush());
	}

	/** Nothing waiting to be stored. */
	get idle(): boolean {
		return !this.queue.length && !this.inFlight;
	}

	private leave() {
		if (this.channel) {
			const channel = this.channel;
			this.channel = null;
			this.options.api.removeChannel(channel);
		}
	}

	stop() {
		if (this.stopped) return;
		removeAwarenessStates(this.awareness, [this.doc.clientID], 'local');
		if (this.awarenessTimer) clearTimeout(this.awarenessTimer);
		this.sendAwareness();
		this.stopped = true;
		for (const timer of [this.flushTimer, this.retryTimer, this.gapTimer]) if (timer) clearTimeout(timer);
		if (this.pollTimer) clearInterval(this.pollTimer);
		this.doc.off('update', this.onUpdate);
		this.awareness.off('update', this.onAwareness);
		this.awareness.destroy();
		this.leave();
	}
}
