// Sockets, channels and fan-out: a small Phoenix channel server with Supabase
// Realtime's behaviour (RealtimeWeb.UserSocket + RealtimeChannel). Each socket's
// frames are handled one at a time, in order, as a Phoenix channel process would.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { AuthError, apiKeyIdentity, verifyJwt, type Identity } from '../jwt';
import type { DbGate } from '../db-gate';
import {
	checkRead,
	checkWrite,
	NOTIFY_CHANNEL,
	pruneMessages,
	readMessage,
	replayMessages,
	type ReadResult
} from './access';
import { TopicPresence, type PresenceDiff } from './presence';
import {
	decode,
	encodeMessage,
	encodeReply,
	isObject,
	ProtocolError,
	userBroadcastEncoder,
	VSNS,
	type Message,
	type UserBroadcast,
	type Vsn
} from './protocol';

/** Hosted Realtime replays at most 25 messages per join. */
const REPLAY_MAX = 25;

export interface RealtimeOptions {
	/** Default `/realtime/v1/websocket`, where supabase-js connects. */
	path?: string;
	/** Close a socket that sent nothing (not even a heartbeat) for this long. Default 60 s, as Phoenix. */
	heartbeatTimeoutMs?: number;
	/** Largest broadcast or presence payload accepted. Default 256 KiB. */
	maxPayloadBytes?: number;
	/** How long a private channel's RLS decision may be reused for client broadcasts and presence. Default 3 s. */
	authTtlMs?: number;
	/** Channels with no traffic are re-checked when their decision is this old. Default 5 s. */
	idleRecheckMs?: number;
	/** Default 100, as hosted Realtime's max_channels_per_client. */
	maxChannelsPerSocket?: number;
	/** A client whose unsent output grows past this is too slow to keep: close it. Default 8 MiB. */
	maxBufferedBytes?: number;
	log?: (line: string) => void;
}

export interface RealtimeStats {
	sockets: number;
	channels: number;
	topics: number;
	presences: number;
	/** Topics with database messages or private fan-outs still being processed. */
	queues: number;
}

export interface RealtimeServer {
	close(): Promise<void>;
	stats(): RealtimeStats;
	/** Re-check RLS now for every private channel (of one topic, if given) and close those that lost access. */
	reauthorize(topic?: string): Promise<void>;
}

interface Keys {
	publishableKey: string;
	secretKey: string;
	jwtSecret: string;
}

interface Conn {
	id: number;
	ws: WebSocket;
	vsn: Vsn;
	apiKey: Identity;
	channels: Map<string, Channel>;
	lastSeen: number;
	queue: Promise<void>;
	pending: number;
	closed: boolean;
}

interface Decision {
	broadcast: boolean;
	presence: boolean | null;
	at: number;
}

interface Channel {
	id: number;
	conn: Conn;
	topic: string; // as joined: "realtime:<sub>"
	sub: string; // what policies see as realtime.topic()
	ns: string; // public and private channels of one name are separate audiences, as hosted
	joinRef: string | null;
	isPrivate: boolean;
	self: boolean;
	ack: boolean;
	presenceEnabled: boolean;
	presenceKey: string;
	identity: Identity;
	read: Decision | null; // private channels only
	write: (Decision & { presence: boolean }) | null;
	tokenTimer?: NodeJS.Timeout;
	closed: boolean;
}

type Content = { json: Record<string, unknown> } | { user: UserBroadcast };

const MAX_PENDING_FRAMES = 500;

export class Realtime implements RealtimeServer {
	private readonly path: string;
	private readonly heartbeatTimeoutMs: number;
	private readonly maxPayloadBytes: number;
	private readonly authTtlMs: number;
	private readonly idleRecheckMs: number;
	private readonly maxChannels: number;
	private readonly maxBuffered: number;
	private readonly log: (line: string) => void;
	private readonly wss: WebSocketServer;
	private readonly conns = new Set<Conn>();
	private readonly topics = new Map<string, Set<Channel>>();
	private readonly presences = new Map<string, TopicPresence>();
	private readonly queues = new Map<string, Promise<void>>();

	private readonly timers: NodeJS.Timeout[] = [];
	private unlisten: (() => Promise<void>) | null = null;
	private nextId = 1;
	private closed = false;

	constructor(
		private readonly db: DbGate,
		private readonly keys: Keys,
		options: RealtimeOptions = {}
	) {
		this.path = options.path ?? '/realtime/v1/websocket';
		this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 60_000;
		this.maxPayloadBytes = options.maxPayloadBytes ?? 256 * 1024;
		this.authTtlMs = options.authTtlMs ?? 3_000;
		this.idleRecheckMs = options.idleRecheckMs ?? 5_000;
		this.maxChannels = options.maxChannelsPerSocket ?? 100;
		this.maxBuffered = options.maxBufferedBytes ?? 8 * 1024 * 1024;
		this.log = options.log ?? ((line) => console.log(line));
		// Frames a little over the payload limit still reach us (and get a proper error
		// reply); anything far larger is cut by ws itself with close code 1009.
		this.wss = new WebSocketServer({
			noServer: true,
			maxPayload: this.maxPayloadBytes + 64 * 1024,
			perMessageDeflate: false
		});
	}

	async start(): Promise<void> {
		this.unlisten = await this.db.listen(NOTIFY_CHANNEL, (payload) => this.onDatabaseMessage(payload));
		await pruneMessages(this.db).catch((error) => this.log(`realtime: pruning messages failed: ${error}`));
		const every = (ms: number, fn: () => void) => {
			const timer = setInterval(fn, ms);
			timer.unref();
			this.timers.push(timer);
		};
		every(Math.max(50, Math.min(this.heartbeatTimeoutMs / 4, 5_000)), () => this.sweepIdle());
		every(Math.max(100, this.idleRecheckMs / 2), () => void this.sweepAuthorization());
		every(60 * 60_000, () => void pruneMessages(this.db).catch(() => undefined));
	}

	// ---- connections ---------------------------------------------------------

	handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
		const url = new URL(request.url ?? '/', 'http://localhost');
		if (url.pathname !== this.path || this.closed) return false;
		const apiKey = url.searchParams.get('apikey') ?? headerValue(request.headers.apikey);
		if (!apiKey) return refuse(socket, 401, 'API key is missing');
		const role =
			apiKey === this.keys.publishableKey ? 'anon' : apiKey === this.keys.secretKey ? 'service_role' : null;
		if (!role) return refuse(socket, 401, 'Invalid API key');
		const vsn = (url.searchParams.get('vsn') ?? '1.0.0') as Vsn;
		if (!VSNS.includes(vsn)) return refuse(socket, 403, `Unsupported protocol version ${vsn}`);
		this.wss.handleUpgrade(request, socket, head, (ws) => this.onConnection(ws, vsn, apiKeyIdentity(role)));
		return true;
	}

	private onConnection(ws: WebSocket, vsn: Vsn, apiKey: Identity): void {
		const conn: Conn = {
			id: this.nextId++,
			ws,
			vsn,
			apiKey,
			channels: new Map(),
			lastSeen: Date.now(),
			queue: Promise.resolve(),
			pending: 0,
			closed: false
		};
		this.conns.add(conn);
		ws.on('message', (data, isBinary) => {
			conn.lastSeen = Date.now();
			if (conn.pending >= MAX_PENDING_FRAMES)
				return this.closeConn(conn, 1008, 'too many messages in flight');
			this.serially(conn, () => this.onFrame(conn, toBuffer(data), isBinary));
		});
		ws.on('close', () => this.dropConn(conn));
		// ws reports protocol violations (e.g. a frame over maxPayload) here, then closes.
		ws.on('error', (error) => this.log(`realtime: socket ${conn.id}: ${error.message}`));
	}

	/** Frames and timers of one socket run one after another, as in a Phoenix channel process. */
	private serially(conn: Conn, task: () => void | Promise<void>): void {
		conn.pending++;
		conn.queue = conn.queue
			.then(task)
			.catch((error: unknown) => {
				this.log(`realtime: socket ${conn.id}: ${error instanceof Error ? error.stack : String(error)}`);
				this.closeConn(conn, 1011, 'internal error');
			})
			.finally(() => {
				conn.pending--;
			});
	}

	private closeConn(conn: Conn, code: number, reason: string): void {
		if (conn.closed) return;
		this.dropConn(conn);
		conn.ws.close(code, reason);
		// A dead peer never answers the close handshake.
		setTimeout(() => conn.ws.terminate(), 2_000).unref();
	}

	/** Forget everything about a socket at once, so nothing is kept (or sent) for a dead peer. */
	private dropConn(conn: Conn): void {
		if (conn.closed) return;
		conn.closed = true;
		for (const channel of [...conn.channels.values()]) this.removeChannel(channel);
		this.conns.delete(conn);
	}

	private sweepIdle(): void {
		const now = Date.now();
		for (const conn of this.conns) {
			if (now - conn.lastSeen > this.heartbeatTimeoutMs) this.closeConn(conn, 1001, 'heartbeat timeout');
		}
	}

	// ---- frames ---------------------------------------------------------------

	private async onFrame(conn: Conn, data: Buffer, isBinary: boolean): Promise<void> {
		if (conn.closed) return;
		let incoming;
		try {
			incoming = decode(data, isBinary, conn.vsn);
		} catch (error) {
			if (!(error instanceof ProtocolError)) throw error;
			this.log(`realtime: socket ${conn.id}: MalformedWebSocketMessage: ${error.message}`);
			if (error.canReply) {
				const to = { joinRef: error.at.joinRef ?? null, ref: error.at.ref ?? null, topic: error.at.topic! };
				this.send(conn, encodeReply(conn.vsn, to, 'error', { reason: `MalformedMessage: ${error.message}` }));
			} else {
				// Nothing to answer to: close, so a confused client starts over instead of waiting.
				this.closeConn(conn, isBinary && conn.vsn === '1.0.0' ? 1003 : 1007, 'malformed message');
			}
			return;
		}

		const { topic } = incoming;
		if (incoming.kind === 'user_broadcast') {
			const channel = conn.channels.get(topic);
			if (!channel) return this.replyUnmatched(conn, incoming);
			return this.clientBroadcast(channel, incoming.ref, { user: incoming.broadcast });
		}
		if (topic === 'phoenix' && incoming.event === 'heartbeat') return this.reply(conn, incoming, 'ok', {});
		if (incoming.event === 'phx_join') return this.join(conn, incoming);
		const channel = conn.channels.get(topic);
		if (!channel) return this.replyUnmatched(conn, incoming);
		switch (incoming.event) {
			case 'phx_leave':
				this.reply(conn, incoming, 'ok', {});
				return this.closeChannel(channel);
			case 'broadcast':
				return this.clientBroadcast(channel, incoming.ref, { json: incoming.payload });
			case 'presence':
				return this.presence(channel, incoming);
			case 'access_token':
				return this.accessToken(channel, incoming.payload.access_token);
			default:
				// Hosted Realtime ignores unknown events too (and only logs them at info level).
				return;
		}
	}

	private replyUnmatched(
		conn: Conn,
		to: { joinRef: string | null; ref: string | null; topic: string }
	): void {
		// Phoenix's answer to a message for a topic this socket has not joined.
		if (to.ref !== null) this.reply(conn, to, 'error', { reason: 'unmatched topic' });
	}

	// ---- join / leave ---------------------------------------------------------------

	private async join(conn: Conn, msg: Message): Promise<void> {
		const fail = (reason: string) => this.reply(conn, msg, 'error', { reason });
		if (!msg.topic.startsWith('realtime:')) return fail('unmatched topic');
		const sub = msg.topic.slice('realtime:'.length);
		if (!sub) return fail('TopicNameRequired: You must provide a topic name');

		// Phoenix: a second join of a topic on one socket replaces the first.
		const existing = conn.channels.get(msg.topic);
		if (existing) this.removeChannel(existing);
		if (conn.channels.size >= this.maxChannels) return fail('ChannelRateLimitReached: Too many channels');

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
			identity = this.identity(conn, msg.payload.access_token ?? msg.payload.user_token);
		} catch (error) {
			if (error instanceof AuthError) return fail(error.reason);
			throw error;
		}

		const isPrivate = flag(config.private);
		const channel: Channel = {
			id: this.nextId++,
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
				result = (await checkRead(this.db, sub, [identity], channel.presenceEnabled)).get(identity.key)!;
			} catch (error) {
				this.log(`realtime: authorization for ${sub} failed: ${error}`);
				return fail('UnableToSetPolicies: Realtime was unable to connect to the project database');
			}
			if (result.error) this.log(`realtime: RlsPolicyError on ${sub}: ${result.error}`);
			if (!result.broadcast && !result.presence) {
				return fail(`Unauthorized: You do not have permissions to read from this Channel topic: ${sub}`);
			}
			channel.read = { broadcast: result.broadcast, presence: result.presence, at };
		}
		if (conn.closed) return;

		conn.channels.set(channel.topic, channel);
		let members = this.topics.get(channel.ns);
		if (!members) this.topics.set(channel.ns, (members = new Set()));
		members.add(channel);
		this.reply(conn, msg, 'ok', { postgres_changes: [] });
		this.scheduleTokenCheck(channel);
		if (channel.presenceEnabled && this.canReadPresence(channel)) {
			this.push(channel, 'presence_state', this.presenceOf(channel.ns).state());
		}
		if (replay && channel.read?.broadcast) this.replay(channel, replay);
	}

	/** Sends the topic's recent database messages to one channel, in the topic's delivery order. */
	private replay(channel: Channel, { since, limit }: { since: number; limit: number }): void {
		void this.enqueue(channel.ns, async () => {
			const stored = await replayMessages(this.db, channel.sub, since, limit);
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
				if (data !== null) this.send(channel.conn, data);
			}
		});
	}

	/** The join's token, or for none / an `sb_` key, the role the socket's API key stands for (as hosted). */
	private identity(conn: Conn, token: unknown): Identity {
		if (typeof token !== 'string' || token === '' || token.startsWith('sb_')) return conn.apiKey;
		return verifyJwt(token, this.keys.jwtSecret);
	}

	/** Ends a channel the way Phoenix does when a channel process stops: phx_close to the client. */
	private closeChannel(channel: Channel): void {
		if (channel.closed) return;
		this.push(channel, 'phx_close', {}, channel.joinRef);
		this.removeChannel(channel);
	}

	/** Hosted Realtime's shutdown_response: a system error message, then phx_close. */
	private shutdown(channel: Channel, message: string): void {
		if (channel.closed) return;
		this.push(channel, 'system', { extension: 'system', status: 'error', message, channel: channel.sub });
		this.closeChannel(channel);
	}

	private removeChannel(channel: Channel): void {
		if (channel.closed) return;
		channel.closed = true;
		clearTimeout(channel.tokenTimer);
		if (channel.conn.channels.get(channel.topic) === channel) channel.conn.channels.delete(channel.topic);
		const members = this.topics.get(channel.ns);
		members?.delete(channel);
		const presence = this.presences.get(channel.ns);
		const diff = presence?.untrack(channel.id);
		if (diff) this.fanoutPresence(channel.ns, diff);
		if (members && members.size === 0) {
			this.topics.delete(channel.ns);
			this.presences.delete(channel.ns);
		}
	}

	// ---- tokens -----------------------------------------------------------------------

	private scheduleTokenCheck(channel: Channel): void {
		clearTimeout(channel.tokenTimer);
		if (channel.identity.exp === null) return;
		// Like hosted: look again at expiry, or every 5 minutes, whichever comes first.
		const delay = Math.max(0, Math.min(channel.identity.exp * 1000 - Date.now() + 50, 5 * 60_000));
		channel.tokenTimer = setTimeout(
			() => this.serially(channel.conn, () => this.confirmToken(channel)),
			delay
		);
		channel.tokenTimer.unref();
	}

	private confirmToken(channel: Channel): void {
		if (channel.closed || channel.identity.token === null) return;
		try {
			verifyJwt(channel.identity.token, this.keys.jwtSecret);
			this.scheduleTokenCheck(channel);
		} catch (error) {
			if (!(error instanceof AuthError)) throw error;
			this.shutdown(channel, error.message);
		}
	}

	private async accessToken(channel: Channel, token: unknown): Promise<void> {
		// Same token, no token, or an API key: nothing changes (as hosted).
		if (typeof token !== 'string' || token.startsWith('sb_') || token === channel.identity.token) return;
		let identity: Identity;
		try {
			identity = verifyJwt(token, this.keys.jwtSecret);
		} catch (error) {
			if (!(error instanceof AuthError)) throw error;
			return this.shutdown(channel, error.message);
		}
		channel.identity = identity;
		channel.write = null;
		if (channel.isPrivate) {
			const previous = channel.read!;
			const at = Date.now();
			let result: ReadResult;
			try {
				result = (await checkRead(this.db, channel.sub, [identity], channel.presenceEnabled)).get(
					identity.key
				)!;
			} catch (error) {
				this.log(`realtime: authorization for ${channel.sub} failed: ${error}`);
				return this.shutdown(channel, 'Realtime was unable to connect to the project database');
			}
			if (channel.closed) return;
			if (!result.broadcast && !result.presence) {
				return this.shutdown(
					channel,
					`You do not have permissions to read from this Channel topic: ${channel.sub}`
				);
			}
			if (!this.applyRead(channel, previous, result, at)) return;
		}
		this.scheduleTokenCheck(channel);
	}

	// ---- authorization of private channels -------------------------------------------

	/**
	 * Re-checks RLS for the private channels of a topic whose decision is older than
	 * maxAgeMs (0 = all), in one transaction, and closes those that lost read access.
	 * Returns false when the database could not answer (then nothing is delivered).
	 */
	private async refreshReads(ns: string, maxAgeMs: number): Promise<boolean> {
		const at = Date.now();
		const stale = [...(this.topics.get(ns) ?? [])].filter((c) => !c.closed && at - c.read!.at >= maxAgeMs);
		if (stale.length === 0) return true;
		let results: Map<string, ReadResult>;
		try {
			results = await checkRead(
				this.db,
				stale[0].sub,
				stale.map((c) => c.identity),
				stale.some((c) => c.presenceEnabled)
			);
		} catch (error) {
			if (!this.closed) this.log(`realtime: authorization for ${stale[0].sub} failed: ${error}`);
			return false;
		}
		for (const channel of stale) {
			const result = results.get(channel.identity.key);
			if (channel.closed || !result) continue;
			if (result.error) this.log(`realtime: RlsPolicyError on ${channel.sub}: ${result.error}`);
			this.applyRead(channel, channel.read!, result, at);
		}
		return true;
	}

	/** Hosted closes a channel when a read permission it had is gone. Returns false if closed. */
	private applyRead(channel: Channel, previous: Decision, result: ReadResult, at: number): boolean {
		const next: Decision = {
			broadcast: result.broadcast,
			presence: channel.presenceEnabled ? result.presence : previous.presence,
			at
		};
		const revoked =
			(previous.broadcast && !next.broadcast) || (previous.presence === true && next.presence === false);
		if (revoked || (!next.broadcast && !next.presence)) {
			this.shutdown(channel, `You no longer have permission to read from this Channel topic: ${channel.sub}`);
			return false;
		}
		channel.read = next;
		return true;
	}

	private async ensureWrite(channel: Channel): Promise<NonNullable<Channel['write']>> {
		const now = Date.now();
		if (channel.write && now - channel.write.at < this.authTtlMs) return channel.write;
		try {
			const result = await checkWrite(this.db, channel.sub, channel.identity);
			if (result.error) this.log(`realtime: RlsPolicyError on ${channel.sub}: ${result.error}`);
			channel.write = { broadcast: result.broadcast, presence: result.presence, at: now };
		} catch (error) {
			this.log(`realtime: write authorization for ${channel.sub} failed: ${error}`);
			return { broadcast: false, presence: false, at: now };
		}
		return channel.write;
	}

	private canReadPresence(channel: Channel): boolean {
		return !channel.isPrivate || channel.read?.presence === true;
	}

	private async sweepAuthorization(): Promise<void> {
		for (const ns of this.topics.keys()) {
			if (ns.startsWith('private:'))
				this.enqueue(ns, async () => void (await this.refreshReads(ns, this.idleRecheckMs)));
		}
	}

	async reauthorize(topic?: string): Promise<void> {
		const namespaces = [...this.topics.keys()].filter(
			(ns) => ns.startsWith('private:') && (topic === undefined || ns === namespace(true, topic))
		);
		await Promise.all(
			namespaces.map((ns) => this.enqueue(ns, async () => void (await this.refreshReads(ns, 0))))
		);
	}

	// ---- broadcast and presence ---------------------------------------------------------

	private async clientBroadcast(channel: Channel, ref: string | null, content: Content): Promise<void> {
		const ack = (status: 'ok' | 'error', response: object) => {
			if (channel.ack && ref !== null) {
				this.reply(channel.conn, { joinRef: channel.joinRef, ref, topic: channel.topic }, status, response);
			}
		};
		const size =
			'user' in content ? content.user.payload.length : Buffer.byteLength(JSON.stringify(content.json));
		if (size > this.maxPayloadBytes) {
			return ack('error', {
				reason: `PayloadSizeExceeded: the payload is ${size} bytes, the limit is ${this.maxPayloadBytes}`
			});
		}
		if (channel.isPrivate) {
			const write = await this.ensureWrite(channel);
			// Hosted drops an unauthorized broadcast without a reply (an ack then times out).
			if (!write.broadcast || channel.closed) return;
		}
		this.fanout(channel.ns, content, channel.self ? null : channel);
		ack('ok', {});
	}

	private async presence(channel: Channel, msg: Message): Promise<void> {
		const event = typeof msg.payload.event === 'string' ? msg.payload.event.toLowerCase() : '';
		if (event === 'untrack') {
			const diff = this.presences.get(channel.ns)?.untrack(channel.id);
			this.reply(channel.conn, msg, 'ok', {});
			if (diff) this.fanoutPresence(channel.ns, diff);
			return;
		}
		if (event !== 'track') return this.reply(channel.conn, msg, 'error', {});
		const meta = msg.payload.payload ?? {};
		if (!isObject(meta))
			return this.reply(channel.conn, msg, 'error', { reason: 'Presence track payload must be a map' });
		if (Buffer.byteLength(JSON.stringify(meta)) > this.maxPayloadBytes) {
			return this.shutdown(channel, 'Track message size exceeded');
		}
		if (channel.isPrivate) {
			if (channel.read!.presence === null) {
				// Presence was off at join: authorize reading it now, as hosted does on the first track.
				const at = Date.now();
				try {
					const result = (await checkRead(this.db, channel.sub, [channel.identity], true)).get(
						channel.identity.key
					)!;
					channel.presenceEnabled = true;
					if (!this.applyRead(channel, channel.read!, result, at)) return;
				} catch (error) {
					this.log(`realtime: authorization for ${channel.sub} failed: ${error}`);
					return this.reply(channel.conn, msg, 'error', {});
				}
			}
			const write = await this.ensureWrite(channel);
			if (channel.closed) return;
			if (!write.presence) return this.reply(channel.conn, msg, 'error', {});
		}
		channel.presenceEnabled = true;
		const diff = this.presenceOf(channel.ns).track(channel.id, channel.presenceKey, meta);
		this.reply(channel.conn, msg, 'ok', {});
		if (diff) this.fanoutPresence(channel.ns, diff);
	}

	private presenceOf(ns: string): TopicPresence {
		let presence = this.presences.get(ns);
		if (!presence) this.presences.set(ns, (presence = new TopicPresence()));
		return presence;
	}

	private fanoutPresence(ns: string, diff: PresenceDiff): void {
		const members = this.topics.get(ns);
		if (!members) return;
		const topic = members.values().next().value?.topic;
		if (topic === undefined) return;
		const encode = cached((vsn) =>
			encodeMessage(vsn, { joinRef: null, ref: null, topic, event: 'presence_diff', payload: { ...diff } })
		);
		const send = () => {
			for (const channel of this.topics.get(ns) ?? []) {
				if (this.canReadPresence(channel)) this.send(channel.conn, encode(channel.conn.vsn));
			}
		};
		if (!ns.startsWith('private:')) return send();
		this.enqueue(ns, async () => {
			if (await this.refreshReads(ns, this.authTtlMs)) send();
		});
	}

	/**
	 * Sends a broadcast to every channel of the topic (but `except`). Public topics get it at
	 * once; private ones after their readers' RLS decisions are fresh, in arrival order.
	 */
	private fanout(ns: string, content: Content, except: Channel | null): void {
		if (!ns.startsWith('private:')) return this.sendBroadcast(ns, content, except);
		this.enqueue(ns, async () => {
			if (await this.refreshReads(ns, this.authTtlMs)) this.sendBroadcast(ns, content, except);
		});
	}

	private sendBroadcast(ns: string, content: Content, except: Channel | null): void {
		const members = this.topics.get(ns);
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
			if (data !== null) this.send(channel.conn, data);
		}
	}

	/** A row inserted into realtime.messages (realtime.send, broadcast_changes) was committed. */
	private onDatabaseMessage(raw: string): void {
		let note: {
			id: string;
			topic: string;
			event: string;
			private: boolean;
			payload?: unknown;
			fetch?: boolean;
		};
		try {
			note = JSON.parse(raw);
		} catch {
			return this.log(`realtime: unreadable notification ${raw.slice(0, 200)}`);
		}
		const ns = namespace(note.private === true, note.topic);
		if (!this.topics.has(ns)) return; // nobody is listening: nothing to read or authorize
		this.enqueue(ns, async () => {
			let broadcast: UserBroadcast;
			if (note.fetch) {
				const stored = await readMessage(this.db, note.id);
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
			if (broadcast.payload.length > this.maxPayloadBytes) {
				return this.log(`realtime: message ${note.id} on ${note.topic} is over the payload limit; not sent`);
			}
			broadcast.meta = { id: note.id };
			// A message from the database is new content. Its readers' decisions must be
			// younger than authTtlMs (re-checked here if not, in one transaction for the
			// topic), so a member removed from a space stops receiving within that time.
			// Checking every reader for every message was exact but cost ~2.7 ms per reader
			// on PGlite (0.5 s per message for 200 readers): the database did nothing else.
			if (ns.startsWith('private:') && !(await this.refreshReads(ns, this.authTtlMs))) return;
			this.sendBroadcast(ns, { user: broadcast }, null);
		});
	}

	/** Per-topic queue: keeps a topic's deliveries in order while authorization checks run. */
	private enqueue(ns: string, task: () => Promise<void>): Promise<void> {
		const next = (this.queues.get(ns) ?? Promise.resolve())
			.then(() => (this.closed ? undefined : task()))
			.catch((error: unknown) => this.log(`realtime: delivery on ${ns} failed: ${error}`));
		this.queues.set(ns, next);
		void next.finally(() => {
			if (this.queues.get(ns) === next) this.queues.delete(ns);
		});
		return next;
	}

	// ---- output -------------------------------------------------------------------------

	private send(conn: Conn, data: string | Buffer): void {
		if (conn.closed || conn.ws.readyState !== WebSocket.OPEN) return;
		if (conn.ws.bufferedAmount > this.maxBuffered) return this.closeConn(conn, 1008, 'client too slow');
		conn.ws.send(data);
	}

	private reply(
		conn: Conn,
		to: { joinRef: string | null; ref: string | null; topic: string },
		status: 'ok' | 'error',
		response: object
	): void {
		this.send(conn, encodeReply(conn.vsn, to, status, response));
	}

	private push(
		channel: Channel,
		event: string,
		payload: Record<string, unknown>,
		ref: string | null = null
	): void {
		this.send(
			channel.conn,
			encodeMessage(channel.conn.vsn, { joinRef: channel.joinRef, ref, topic: channel.topic, event, payload })
		);
	}

	// ---- lifecycle ------------------------------------------------------------------------

	stats(): RealtimeStats {
		let channels = 0;
		for (const conn of this.conns) channels += conn.channels.size;
		let presences = 0;
		for (const presence of this.presences.values()) presences += presence.size;
		return {
			sockets: this.conns.size,
			channels,
			topics: this.topics.size,
			presences,
			queues: this.queues.size
		};
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		for (const timer of this.timers) clearInterval(timer);
		for (const conn of [...this.conns]) {
			this.dropConn(conn);
			conn.ws.terminate();
		}
		await Promise.allSettled([...this.queues.values()]);
		await this.unlisten?.().catch(() => undefined);
		await new Promise<void>((resolve) => this.wss.close(() => resolve()));
	}
}

function namespace(isPrivate: boolean, sub: string): string {
	return `${isPrivate ? 'private' : 'public'}:${sub}`;
}

/** Hosted accepts booleans and their string forms ("true") in the join config. */
function flag(value: unknown): boolean {
	return value === true || value === 'true';
}

function cached<T extends string | Buffer | null>(encode: (vsn: Vsn) => T): (vsn: Vsn) => T {
	const cache = new Map<Vsn, T>();
	return (vsn) => {
		if (!cache.has(vsn)) cache.set(vsn, encode(vsn));
		return cache.get(vsn)!;
	};
}

function toBuffer(data: RawData): Buffer {
	if (Buffer.isBuffer(data)) return data;
	if (Array.isArray(data)) return Buffer.concat(data);
	return Buffer.from(data);
}

function headerValue(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

function refuse(socket: Duplex, status: number, message: string): true {
	const body = JSON.stringify({ error: message });
	const text = status === 401 ? 'Unauthorized' : 'Forbidden';
	socket.end(
		`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
	);
	return true;
}
