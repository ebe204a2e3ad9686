// The outbox: what a person wrote while the network was gone (or went during
// the send), kept in IndexedDB until the server has it. An item is a form
// submission put aside: the form action it was for, the form's fields, and the
// id the client made, so sending it twice (a retry after a lost answer, two
// tabs, a replay after a crash) stores it once. The form action is the one
// writer (validation, normalisation, the database's rules): the outbox knows
// nothing of replies, threads or reactions. Nothing leaves the outbox without
// the server's yes, or the person's own "discard": an item the server refuses
// stays, with the reason, to be edited or discarded.
import { openDB, type DBSchema, type IDBPDatabase, type IDBPObjectStore } from 'idb';
import { OUTBOX_CHANNEL, OUTBOX_DB } from '$lib/keys';

export interface OutboxItem {
	/** The outbox's key: the form's own client-made id (`id` field) when it has one. */
	id: string;
	/** Whose it is: a shared phone may change hands; others' items are never sent. */
	userId: string;
	/** The form action, as the page posted it: a path and `?/name` (no origin). */
	action: string;
	/** The form's text fields as submitted (files never wait: they need the network). */
	fields: Record<string, string>;
	/** The page (a path) that shows this item as waiting, e.g. the thread it replies to. */
	page: string;
	/** The form's `maxlength` per text field, so an edit of a refused item shows the same limit. */
	limits?: Record<string, number>;
	createdAt: number;
	state: 'waiting' | 'refused';
	/** The translated reason (the form action's own words), when refused. */
	reason?: string;
	attempts: number;
}

/** What a page hands to the outbox; the rest is filled in here. */
export type NewOutboxItem = Omit<OutboxItem, 'createdAt' | 'state' | 'attempts' | 'reason'>;

/** The action's name (`reply`, `react`, ... `default`), for showing an item. */
export function actionName(item: Pick<OutboxItem, 'action'>): string {
	return /\?\/([^&]+)/.exec(item.action)?.[1] ?? 'default';
}

interface OutboxDb extends DBSchema {
	outbox: { key: string; value: OutboxItem; indexes: { byCreated: number } };
}

let db: Promise<IDBPDatabase<OutboxDb>> | undefined;
const open = () =>
	(db ??= openDB<OutboxDb>(OUTBOX_DB, 2, {
		upgrade(database, oldVersion, _newVersion, transaction) {
			if (oldVersion < 1)
				database.createObjectStore('outbox', { keyPath: 'id' }).createIndex('byCreated', 'createdAt');
			// Version 1 kept items per kind, sent by a second writer in the browser:
			// the same items become form submissions, in place (same key, same order),
			// inside the upgrade's own transaction (a failure aborts the upgrade, and keeps version 1).
			if (oldVersion === 1) void upgradeVersion1(transaction.objectStore('outbox'));
		}
	}));

async function upgradeVersion1(store: IDBPObjectStore<OutboxDb, 'outbox'[], 'outbox', 'versionchange'>) {
	for (let cursor = await store.openCursor(); cursor; cursor = await cursor.continue())
		await cursor.update(fromVersion1(cursor.value as unknown as Version1Item));
}

type Version1Item = Omit<OutboxItem, 'action' | 'fields' | 'page' | 'limits'> & {
	kind: 'reply' | 'thread' | 'reaction' | 'dialogue_post' | 'action_update';
	spaceId?: string;
	threadId?: string;
	actionId?: string;
	postId?: string;
	body?: string;
	title?: string;
	topic?: string;
	reaction?: string;
	op?: 'add' | 'remove';
	anonymous?: boolean;
	status?: string | null;
};

/** A version-1 item as the form submission the page would make today. */
function fromVersion1(old: Version1Item): OutboxItem {
	const { id, userId, createdAt, state, reason, attempts } = old;
	const keep = { id, userId, createdAt, state, reason, attempts };
	const thread = `/spaces/${old.spaceId}/threads/${old.threadId}`;
	const dialogue = `/dialogues/${old.threadId}`;
	switch (old.kind) {
		case 'reply':
			return { ...keep, action: `${thread}?/reply`, page: thread, fields: { id, body: old.body ?? '' } };
		case 'thread':
			return {
				...keep,
				action: `/spaces/${old.spaceId}/threads/new`,
				page: `/spaces/${old.spaceId}`,
				fields: { id, title: old.title ?? '', topic: old.topic ?? 'other', body: old.body ?? '' }
			};
		case 'dialogue_post':
			return {
				...keep,
				action: `${dialogue}?/reply`,
				page: dialogue,
				fields: { id, body: old.body ?? '', ...(old.anonymous ? { anonymous: '1' } : {}) }
			};
		case 'action_update': {
			const page = `${dialogue}/actions/${old.actionId}`;
			return {
				...keep,
				action: `${page}?/update`,
				page,
				fields: { id, body: old.body ?? '', status: old.status ?? '' }
			};
		}
		case 'reaction':
			// Version 1 did not keep a reaction's space. The react action reads only the
			// post (src/lib/threads/actions.server.ts), which decides under its rules; a
			// dialogue's page has the same action, whatever the thread is.
			return {
				...keep,
				action: `${dialogue}?/react`,
				page: '',
				fields: { post_id: old.postId ?? '', kind: old.reaction ?? '', on: old.op === 'remove' ? '0' : '1' }
			};
	}
}

function announce() {
	try {
		const channel = new BroadcastChannel(OUTBOX_CHANNEL);
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
		channel = new BroadcastChannel(OUTBOX_CHANNEL);
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
	if (item) await tx.store.put({ ...item, ...change });
	await tx.done;
	announce();
}

/** Sent (the server has it) or discarded by the person. */
export async function removeItem(id: string): Promise<void> {
	await (await open()).delete('outbox', id);
	announce();
}
