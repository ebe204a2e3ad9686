// The outbox: what a person wrote while the network was gone (or went during
// the send), kept in IndexedDB until the server has it. Items carry the ids
// the client made, so sending one twice (a retry after a lost answer, two
// tabs, a replay after a crash) stores it once. Nothing leaves the outbox
// without the server's yes, or the person's own "discard": an item the server
// refuses stays, with the reason, to be edited or discarded.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ActionStatus, ReactionKind, Topic } from '$lib/vocabulary';
import { OUTBOX_DB } from '$lib/keys';

interface Common {
	/** The client-made id: the post's, the thread's, the update's (a reaction gets its own). */
	id: string;
	/** Whose it is: a shared phone may change hands; others' items are never sent. */
	userId: string;
	createdAt: number;
	state: 'waiting' | 'refused';
	/** The translated reason, when refused. */
	reason?: string;
	attempts: number;
}

export type OutboxItem = Common &
	(
		| { kind: 'reply'; spaceId: string; threadId: string; body: string }
		| { kind: 'thread'; spaceId: string; title: string; topic: Topic; body: string }
		| { kind: 'reaction'; postId: string; threadId: string; reaction: ReactionKind; op: 'add' | 'remove' }
		| { kind: 'dialogue_post'; spaceId: string; threadId: string; body: string; anonymous: boolean }
		| { kind: 'action_update'; threadId: string; actionId: string; body: string; status: ActionStatus | null }
	);

/** What a page hands to the outbox; the rest is filled in here. */
export type NewOutboxItem = OutboxItem extends infer T
	? T extends OutboxItem
		? Omit<T, 'createdAt' | 'state' | 'attempts' | 'reason'>
		: never
	: never;

interface OutboxDb extends DBSchema {
	outbox: { key: string; value: OutboxItem; indexes: { byCreated: number } };
}

/** Other tabs (and pages in this one) hear about changes here. */
const CHANNEL = 'sahakum-outbox';

let db: Promise<IDBPDatabase<OutboxDb>> | undefined;
const open = () =>
	(db ??= openDB<OutboxDb>(OUTBOX_DB, 1, {
		upgrade(database) {
			database.createObjectStore('outbox', { keyPath: 'id' }).createIndex('byCreated', 'createdAt');
		}
	}));

function announce() {
	try {
		const channel = new BroadcastChannel(CHANNEL);
		channel.postMessage('changed'); // still delivered after close
		channel.close();
	} catch {
		// no BroadcastChannel (old browsers): this tab's listeners are called directly below
	}
	for (const listener of listeners) listener();
}

const listeners = new Set<() => void>();

/** Calls `listener` whenever the outbox changes, in this tab or another; returns the unsubscribe. */
export function onOutboxChange(listener: () => void): () => void {
	listeners.add(listener);
	let channel: BroadcastChannel | undefined;
	try {
		channel = new BroadcastChannel(CHANNEL);
		channel.onmessage = () => listener();
	} catch {
		channel = undefined;
	}
	return () => {
		listeners.delete(listener);
		channel?.close();
	};
}

/**
 * Keeps an item until it is sent. Written durably (`durability: 'strict'`: on
 * disk when this resolves) and asks the browser not to evict the site's data.
 */
export async function enqueue(item: NewOutboxItem): Promise<void> {
	const database = await open();
	const tx = database.transaction('outbox', 'readwrite', { durability: 'strict' });
	// Strictly after the newest item (two in the same millisecond, or a clock set
	// back, would otherwise send out of order); one transaction, so tabs agree.
	const newest = await tx.store.index('byCreated').openCursor(null, 'prev');
	const createdAt = Math.max(Date.now(), (newest?.value.createdAt ?? 0) + 1);
	await tx.store.put({ ...item, createdAt, state: 'waiting', attempts: 0 });
	await tx.done;
	void globalThis.navigator?.storage?.persist?.().catch(() => false);
	announce();
}

/** This person's items, oldest first (the order they are sent in). */
export async function outboxItems(userId: string): Promise<OutboxItem[]> {
	const all = await (await open()).getAllFromIndex('outbox', 'byCreated');
	return all.filter((item) => item.userId === userId);
}

export async function updateItem(id: string, change: Partial<OutboxItem>): Promise<void> {
	const database = await open();
	const tx = database.transaction('outbox', 'readwrite', { durability: 'strict' });
	const item = await tx.store.get(id);
	if (item) await tx.store.put({ ...item, ...change } as OutboxItem);
	await tx.done;
	announce();
}

/** Sent (the server has it) or discarded by the person. */
export async function removeItem(id: string): Promise<void> {
	await (await open()).delete('outbox', id);
	announce();
}

/** Everything of every person on this phone: signing out empties it (after asking). */
export async function clearOutbox(): Promise<void> {
	await (await open()).clear('outbox');
	announce();
}

/** Whether IndexedDB works here (private mode in some browsers refuses it). */
export async function outboxAvailable(): Promise<boolean> {
	try {
		await open();
		return true;
	} catch {
		return false;
	}
}
