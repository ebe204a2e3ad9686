// Fan-out: client broadcasts and presence, messages from the database, and the
// per-topic queue that keeps a topic's deliveries in order while authorization
// checks run. Public topics deliver at once; private ones only after their
// readers' decisions are fresh (access.ts).
import { applyRead, canReadPresence, ensureWrite, refreshReads } from './access';
import { shutdown } from './channels';
import { TopicPresence, type PresenceDiff } from './presence';
import { encodeMessage, isObject, userBroadcastEncoder, type Message, type UserBroadcast } from './protocol';
import { checkRead, readMessage } from './queries';
import { reply, send } from './sockets';
import { cached, isPrivateNs, namespace, type Channel, type Content, type Hub } from './types';

export async function clientBroadcast(
	hub: Hub,
	channel: Channel,
	ref: string | null,
	content: Content
): Promise<void> {
	const ack = (status: 'ok' | 'error', response: object) => {
		if (channel.ack && ref !== null) {
			reply(hub, channel.conn, { joinRef: channel.joinRef, ref, topic: channel.topic }, status, response);
		}
	};
	const limit = hub.settings.maxPayloadBytes;
	const size =
		'user' in content ? content.user.payload.length : Buffer.byteLength(JSON.stringify(content.json));
	if (size > limit) {
		return ack('error', {
			reason: `PayloadSizeExceeded: the payload is ${size} bytes, the limit is ${limit}`
		});
	}
	if (channel.isPrivate) {
		const write = await ensureWrite(hub, channel);
		// Hosted drops an unauthorized broadcast without a reply (an ack then times out).
		if (!write.broadcast || channel.closed) return;
	}
	fanout(hub, channel.ns, content, channel.self ? null : channel);
	ack('ok', {});
}

export async function presence(hub: Hub, channel: Channel, msg: Message): Promise<void> {
	const event = typeof msg.payload.event === 'string' ? msg.payload.event.toLowerCase() : '';
	if (event === 'untrack') {
		const diff = hub.presences.get(channel.ns)?.untrack(channel.id);
		reply(hub, channel.conn, msg, 'ok', {});
		if (diff) fanoutPresence(hub, channel.ns, diff);
		return;
	}
	if (event !== 'track') return reply(hub, channel.conn, msg, 'error', {});
	const meta = msg.payload.payload ?? {};
	if (!isObject(meta)) {
		return reply(hub, channel.conn, msg, 'error', { reason: 'Presence track payload must be a map' });
	}
	if (Buffer.byteLength(JSON.stringify(meta)) > hub.settings.maxPayloadBytes) {
		return shutdown(hub, channel, 'Track message size exceeded');
	}
	if (channel.isPrivate) {
		if (channel.read!.presence === null) {
			// Presence was off at join: authorize reading it now, as hosted does on the first track.
			const at = Date.now();
			try {
				const result = (await checkRead(hub.db, channel.sub, [channel.identity], true)).get(
					channel.identity.key
				)!;
				channel.presenceEnabled = true;
				if (!applyRead(hub, channel, channel.read!, result, at)) return;
			} catch (error) {
				hub.log(`realtime: authorization for ${channel.sub} failed: ${String(error)}`);
				return reply(hub, channel.conn, msg, 'error', {});
			}
		}
		const write = await ensureWrite(hub, channel);
		if (channel.closed) return;
		if (!write.presence) return reply(hub, channel.conn, msg, 'error', {});
	}
	channel.presenceEnabled = true;
	const diff = presenceOf(hub, channel.ns).track(channel.id, channel.presenceKey, meta);
	reply(hub, channel.conn, msg, 'ok', {});
	if (diff) fanoutPresence(hub, channel.ns, diff);
}

export function presenceOf(hub: Hub, ns: string): TopicPresence {
	let topicPresence = hub.presences.get(ns);
	if (!topicPresence) hub.presences.set(ns, (topicPresence = new TopicPresence()));
	return topicPresence;
}

export function fanoutPresence(hub: Hub, ns: string, diff: PresenceDiff): void {
	const members = hub.topics.get(ns);
	if (!members) return;
	const topic = members.values().next().value?.topic;
	if (topic === undefined) return;
	const encode = cached((vsn) =>
		encodeMessage(vsn, { joinRef: null, ref: null, topic, event: 'presence_diff', payload: { ...diff } })
	);
	const deliver = () => {
		for (const channel of hub.topics.get(ns) ?? []) {
			if (canReadPresence(channel)) send(hub, channel.conn, encode(channel.conn.vsn));
		}
	};
	if (!isPrivateNs(ns)) return deliver();
	void enqueue(hub, ns, async () => {
		if (await refreshReads(hub, ns, hub.settings.authTtlMs)) deliver();
	});
}

/**
 * Sends a broadcast to every channel of the topic (but `except`). Public topics get it at
 * once; private ones after their readers' RLS decisions are fresh, in arrival order.
 */
function fanout(hub: Hub, ns: string, content: Content, except: Channel | null): void {
	if (!isPrivateNs(ns)) return sendBroadcast(hub, ns, content, except);
	void enqueue(hub, ns, async () => {
		if (await refreshReads(hub, ns, hub.settings.authTtlMs)) sendBroadcast(hub, ns, content, except);
	});
}

function sendBroadcast(hub: Hub, ns: string, content: Content, except: Channel | null): void {
	const members = hub.topics.get(ns);
	if (!members || members.size === 0) return;
	const topic = members.values().next().value!.topic;
	const encode =
		'user' in content
			? userBroadcastEncoder(topic, content.user)
			: cached((vsn) =>
					encodeMessage(vsn, { joinRef: null, ref: null, topic, event: 'broadcast', payload: content.json })
				);
	for (const channel of members) {
		if (channel === except || (channel.isPrivate && !channel.read?.broadcast)) continue;
		const data = encode(channel.conn.vsn);
		if (data !== null) send(hub, channel.conn, data);
	}
}

/** A row inserted into realtime.messages (realtime.send, broadcast_changes) was committed. */
export function onDatabaseMessage(hub: Hub, raw: string): void {
	type Note = {
		id: string;
		topic: string;
		event: string;
		private: boolean;
		payload?: unknown;
		fetch?: boolean;
	};
	let note: Note;
	try {
		note = JSON.parse(raw) as Note;
	} catch {
		return hub.log(`realtime: unreadable notification ${raw.slice(0, 200)}`);
	}
	const ns = namespace(note.private === true, note.topic);
	if (!hub.topics.has(ns)) return; // nobody is listening: nothing to read or authorize
	void enqueue(hub, ns, async () => {
		let broadcast: UserBroadcast;
		if (note.fetch) {
			const stored = await readMessage(hub.db, note.id);
			if (!stored) return;
			broadcast = stored.binary
				? { event: note.event, encoding: 'binary', payload: Buffer.from(stored.binary, 'base64') }
				: { event: note.event, encoding: 'json', payload: Buffer.from(stored.payload ?? 'null') };
		} else {
			broadcast = {
				event: note.event,
				encoding: 'json',
				payload: Buffer.from(JSON.stringify(note.payload ?? null))
			};
		}
		if (broadcast.payload.length > hub.settings.maxPayloadBytes) {
			return hub.log(`realtime: message ${note.id} on ${note.topic} is over the payload limit; not sent`);
		}
		broadcast.meta = { id: note.id };
		// A message from the database is new content. Its readers' decisions must be
		// younger than authTtlMs (re-checked here if not, in one transaction for the
		// topic), so a member removed from a space stops receiving within that time.
		// Checking every reader for every message was exact but cost ~2.7 ms per reader
		// on PGlite (0.5 s per message for 200 readers): the database did nothing else.
		if (isPrivateNs(ns) && !(await refreshReads(hub, ns, hub.settings.authTtlMs))) return;
		sendBroadcast(hub, ns, { user: broadcast }, null);
	});
}

/** Per-topic queue: keeps a topic's deliveries in order while authorization checks run. */
export function enqueue(hub: Hub, ns: string, task: () => Promise<void>): Promise<void> {
	const next = (hub.queues.get(ns) ?? Promise.resolve())
		.then(() => (hub.closed ? undefined : task()))
		.catch((error: unknown) => hub.log(`realtime: delivery on ${ns} failed: ${String(error)}`));
	hub.queues.set(ns, next);
	void next.finally(() => {
		if (hub.queues.get(ns) === next) hub.queues.delete(ns);
	});
	return next;
}
