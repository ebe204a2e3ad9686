// What the Realtime server's modules share: its options, the state of sockets,
// channels and topics (the "hub" every module works on), and small helpers.
// server.ts owns one hub; sockets.ts, channels.ts, access.ts and fanout.ts are
// functions over it, split by concern rather than one 900-line class.
import type { WebSocket, WebSocketServer } from 'ws';
import type { DbGate } from '../db-gate';
import { LIMITS } from '../limits';
import type { Identity } from '../jwt';
import type { TopicPresence } from './presence';
import type { UserBroadcast, Vsn } from './protocol';

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

export type Settings = Required<Omit<RealtimeOptions, 'log'>>;

export function settingsOf(options: RealtimeOptions): Settings {
	return {
		path: options.path ?? '/realtime/v1/websocket',
		heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 60_000,
		maxPayloadBytes: options.maxPayloadBytes ?? LIMITS.realtimePayloadBytes,
		authTtlMs: options.authTtlMs ?? 3_000,
		idleRecheckMs: options.idleRecheckMs ?? 5_000,
		maxChannelsPerSocket: options.maxChannelsPerSocket ?? 100,
		maxBufferedBytes: options.maxBufferedBytes ?? 8 * 1024 * 1024
	};
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

export interface Keys {
	publishableKey: string;
	secretKey: string;
	jwtSecret: string;
}

/** Everything the server knows, shared by its modules. */
export interface Hub {
	readonly db: DbGate;
	readonly keys: Keys;
	readonly settings: Settings;
	readonly log: (line: string) => void;
	readonly wss: WebSocketServer;
	readonly conns: Set<Conn>;
	/** Channels by namespace (see `namespace`). */
	readonly topics: Map<string, Set<Channel>>;
	readonly presences: Map<string, TopicPresence>;
	/** Per-topic delivery queues (see fanout.ts `enqueue`). */
	readonly queues: Map<string, Promise<void>>;
	nextId: number;
	closed: boolean;
}

export interface Conn {
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

export interface Decision {
	broadcast: boolean;
	presence: boolean | null;
	at: number;
}

export interface Channel {
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

export type Content = { json: Record<string, unknown> } | { user: UserBroadcast };

/** Where a reply goes. */
export interface Address {
	joinRef: string | null;
	ref: string | null;
	topic: string;
}

export function namespace(isPrivate: boolean, sub: string): string {
	return `${isPrivate ? 'private' : 'public'}:${sub}`;
}

export const isPrivateNs = (ns: string) => ns.startsWith('private:');

/** Hosted accepts booleans and their string forms ("true") in the join config. */
export function flag(value: unknown): boolean {
	return value === true || value === 'true';
}

/** Encodes a frame once per protocol version, however many sockets receive it. */
export function cached<T extends string | Buffer | null>(encode: (vsn: Vsn) => T): (vsn: Vsn) => T {
	const cache = new Map<Vsn, T>();
	return (vsn) => {
		if (!cache.has(vsn)) cache.set(vsn, encode(vsn));
		return cache.get(vsn)!;
	};
}
