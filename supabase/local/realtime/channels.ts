// Channels (hosted: RealtimeChannel): join with its config and identity, replay,
// leave and the ways a channel ends, and the token behind each channel (expiry,
// `access_token` refresh).
import { randomUUID } from 'node:crypto';
import { AuthError, verifyJwt, type Identity } from '../jwt';
import { applyRead, canReadPresence } from './access';
import { enqueue, fanoutPresence, presenceOf } from './fanout';
import { isObject, userBroadcastEncoder, type Message } from './protocol';
import { checkRead, replayMessages, type ReadResult } from './queries';
import { push, reply, send, serially } from './sockets';
import { flag, namespace, type Channel, type Conn, type Hub } from './types';

/** Hosted Realtime replays at most 25 messages per join. */
const REPLAY_MAX = 25;

export async function join(hub: Hub, conn: Conn, msg: Message): Promise<void> {
	const fail = (reason: string) => reply(hub, conn, msg, 'error', { reason });
	if (!msg.topic.startsWith('realtime:')) return fail('unmatched topic');
	const sub = msg.topic.slice('realtime:'.length);
	if (!sub) return fail('TopicNameRequired: You must provide a topic name');

	// Phoenix: a second join of a topic on one socket replaces the first.
	const existing = conn.channels.get(msg.topic);
	if (existing) removeChannel(hub, existing);
	if (conn.channels.size >= hub.settings.maxChannelsPerSocket) {
		return fail('ChannelRateLimitReached: Too many channels');
	}

	const config = isObject(msg.payload.config) ? msg.payload.config : {};
	const broadcast = isObject(config.broadcast) ? config.broadcast : {};
	const presence = isObject(config.presence) ? config.presence : {};
	if (Array.isArray(config.postgres_changes) && config.postgres_changes.some((c) => c != null)) {
		return fail(
			'PostgresChangesNotSupported: the local Realtime server has no postgres_changes; ' +
				'broadcast from the database with realtime.send or realtime.broadcast_changes'
		);
	}

	// Broadcast replay (hosted: private channels only, `since` in ms, `limit` 1..25).
	let replay: { since: number; limit: number } | null = null;
	if (broadcast.replay != null) {
		const option = isObject(broadcast.replay) ? broadcast.replay : {};
		const limit = option.limit ?? REPLAY_MAX;
		if (
			!flag(config.private) ||
			typeof option.since !== 'number' ||
			!Number.isFinite(option.since) ||
			typeof limit !== 'number' ||
			!Number.isInteger(limit) ||
			limit < 1 ||
			limit > REPLAY_MAX
		) {
			return fail(
				'UnableToReplayMessages: replay needs a private channel, `since` in milliseconds and a `limit` from 1 to 25'
			);
		}
		replay = { since: option.since, limit };
	}

	let identity: Identity;
	try {
		identity = identityOf(hub, conn, msg.payload.access_token ?? msg.payload.user_token);
	} catch (error) {
		if (error instanceof AuthError) return fail(error.reason);
		throw error;
	}

	const isPrivate = flag(config.private);
	const channel: Channel = {
		id: hub.nextId++,
		conn,
		topic: msg.topic,
		sub,
		ns: namespace(isPrivate, sub),
		joinRef: msg.joinRef ?? msg.ref,
		isPrivate,
		self: flag(broadcast.self),
		ack: flag(broadcast.ack),
		presenceEnabled: flag(presence.enabled),
		presenceKey: typeof presence.key === 'string' && presence.key ? presence.key : randomUUID(),
		identity,
		read: null,
		write: null,
		closed: false
	};

	if (isPrivate) {
		const at = Date.now();
		let result: ReadResult;
		try {
			result = (await checkRead(hub.db, sub, [identity], channel.presenceEnabled)).get(identity.key)!;
		} catch (error) {
			hub.log(`realtime: authorization for ${sub} failed: ${String(error)}`);
			return fail('UnableToSetPolicies: Realtime was unable to connect to the project database');
		}
		if (result.error) hub.log(`realtime: RlsPolicyError on ${sub}: ${result.error}`);
		if (!result.broadcast && !result.presence) {
			return fail(`Unauthorized: You do not have permissions to read from this Channel topic: ${sub}`);
		}
		channel.read = { broadcast: result.broadcast, presence: result.presence, at };
	}
	if (conn.closed) return;

	conn.channels.set(channel.topic, channel);
	let members = hub.topics.get(channel.ns);
	if (!members) hub.topics.set(channel.ns, (members = new Set()));
	members.add(channel);
	reply(hub, conn, msg, 'ok', { postgres_changes: [] });
	scheduleTokenCheck(hub, channel);
	if (channel.presenceEnabled && canReadPresence(channel)) {
		push(hub, channel, 'presence_state', presenceOf(hub, channel.ns).state());
	}
	if (replay && channel.read?.broadcast) replayTo(hub, channel, replay);
}

/** Sends the topic's recent database messages to one channel, in the topic's delivery order. */
function replayTo(hub: Hub, channel: Channel, { since, limit }: { since: number; limit: number }): void {
	void enqueue(hub, channel.ns, async () => {
		const stored = await replayMessages(hub.db, channel.sub, since, limit);
		for (const message of stored) {
			if (channel.closed) return;
			const encode = userBroadcastEncoder(channel.topic, {
				event: message.event,
				...(message.binary
					? { encoding: 'binary' as const, payload: Buffer.from(message.binary, 'base64') }
					: { encoding: 'json' as const, payload: Buffer.from(message.payload ?? 'null') }),
				meta: { replayed: true, id: message.id }
			});
			const data = encode(channel.conn.vsn);
			if (data !== null) send(hub, channel.conn, data);
		}
	});
}

/** The join's token, or for none / an `sb_` key, the role the socket's API key stands for (as hosted). */
function identityOf(hub: Hub, conn: Conn, token: unknown): Identity {
	if (typeof token !== 'string' || token === '' || token.startsWith('sb_')) return conn.apiKey;
	return verifyJwt(token, hub.keys.jwtSecret);
}

/** Ends a channel the way Phoenix does when a channel process stops: phx_close to the client. */
export function closeChannel(hub: Hub, channel: Channel): void {
	if (channel.closed) return;
	push(hub, channel, 'phx_close', {}, channel.joinRef);
	removeChannel(hub, channel);
}

/** Hosted Realtime's shutdown_response: a system error message, then phx_close. */
export function shutdown(hub: Hub, channel: Channel, message: string): void {
	if (channel.closed) return;
	push(hub, channel, 'system', { extension: 'system', status: 'error', message, channel: channel.sub });
	closeChannel(hub, channel);
}

export function removeChannel(hub: Hub, channel: Channel): void {
	if (channel.closed) return;
	channel.closed = true;
	clearTimeout(channel.tokenTimer);
	if (channel.conn.channels.get(channel.topic) === channel) channel.conn.channels.delete(channel.topic);
	const members = hub.topics.get(channel.ns);
	members?.delete(channel);
	const diff = hub.presences.get(channel.ns)?.untrack(channel.id);
	if (diff) fanoutPresence(hub, channel.ns, diff);
	if (members && members.size === 0) {
		hub.topics.delete(channel.ns);
		hub.presences.delete(channel.ns);
	}
}

// ---- tokens -----------------------------------------------------------------------

function scheduleTokenCheck(hub: Hub, channel: Channel): void {
	clearTimeout(channel.tokenTimer);
	if (channel.identity.exp === null) return;
	// Like hosted: look again at expiry, or every 5 minutes, whichever comes first.
	const delay = Math.max(0, Math.min(channel.identity.exp * 1000 - Date.now() + 50, 5 * 60_000));
	channel.tokenTimer = setTimeout(() => serially(hub, channel.conn, () => confirmToken(hub, channel)), delay);
	channel.tokenTimer.unref();
}

function confirmToken(hub: Hub, channel: Channel): void {
	if (channel.closed || channel.identity.token === null) return;
	try {
		verifyJwt(channel.identity.token, hub.keys.jwtSecret);
		scheduleTokenCheck(hub, channel);
	} catch (error) {
		if (!(error instanceof AuthError)) throw error;
		shutdown(hub, channel, error.message);
	}
}

export async function accessToken(hub: Hub, channel: Channel, token: unknown): Promise<void> {
	// Same token, no token, or an API key: nothing changes (as hosted).
	if (typeof token !== 'string' || token.startsWith('sb_') || token === channel.identity.token) return;
	let identity: Identity;
	try {
		identity = verifyJwt(token, hub.keys.jwtSecret);
	} catch (error) {
		if (!(error instanceof AuthError)) throw error;
		return shutdown(hub, channel, error.message);
	}
	channel.identity = identity;
	channel.write = null;
	if (channel.isPrivate) {
		const previous = channel.read!;
		const at = Date.now();
		let result: ReadResult;
		try {
			result = (await checkRead(hub.db, channel.sub, [identity], channel.presenceEnabled)).get(identity.key)!;
		} catch (error) {
			hub.log(`realtime: authorization for ${channel.sub} failed: ${String(error)}`);
			return shutdown(hub, channel, 'Realtime was unable to connect to the project database');
		}
		if (channel.closed) return;
		if (!result.broadcast && !result.presence) {
			return shutdown(
				hub,
				channel,
				`You do not have permissions to read from this Channel topic: ${channel.sub}`
			);
		}
		if (!applyRead(hub, channel, previous, result, at)) return;
	}
	scheduleTokenCheck(hub, channel);
}
