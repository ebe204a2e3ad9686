// A small Phoenix channel server with Supabase Realtime's behaviour
// (RealtimeWeb.UserSocket + RealtimeChannel). This file owns the state and the
// timers; the work is split by concern:
//   sockets.ts   upgrade, frames in order per socket, output
//   channels.ts  join/leave, replay, tokens
//   access.ts    private channels' RLS decisions kept fresh
//   fanout.ts    broadcast, presence, database messages, per-topic queues
//   queries.ts   the SQL behind them (through the stack's database gate)
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { DbGate } from '../db-gate';
import { reauthorize, sweepAuthorization } from './access';
import { onDatabaseMessage } from './fanout';
import { NOTIFY_CHANNEL, pruneMessages } from './queries';
import { dropConn, handleUpgrade, sweepIdle } from './sockets';
import {
	settingsOf,
	type Hub,
	type Keys,
	type RealtimeOptions,
	type RealtimeServer,
	type RealtimeStats
} from './types';

export type { RealtimeOptions, RealtimeServer, RealtimeStats } from './types';

const delay = (ms: number) => new Promise<void>((done) => setTimeout(done, ms).unref());

export class Realtime implements RealtimeServer {
	private readonly hub: Hub;
	private readonly timers: NodeJS.Timeout[] = [];
	private unlisten: (() => Promise<void>) | null = null;

	constructor(db: DbGate, keys: Keys, options: RealtimeOptions = {}) {
		const settings = settingsOf(options);
		this.hub = {
			db,
			keys,
			settings,
			log: options.log ?? ((line) => console.log(line)),
			// Frames a little over the payload limit still reach us (and get a proper error
			// reply); anything far larger is cut by ws itself with close code 1009.
			wss: new WebSocketServer({
				noServer: true,
				maxPayload: settings.maxPayloadBytes + 64 * 1024,
				perMessageDeflate: false
			}),
			conns: new Set(),
			topics: new Map(),
			presences: new Map(),
			queues: new Map(),
			nextId: 1,
			closed: false
		};
	}

	async start(): Promise<void> {
		const hub = this.hub;
		this.unlisten = await hub.db.listen(NOTIFY_CHANNEL, (payload) => onDatabaseMessage(hub, payload));
		await pruneMessages(hub.db).catch((error) => hub.log(`realtime: pruning messages failed: ${error}`));
		const every = (ms: number, fn: () => void) => {
			const timer = setInterval(fn, ms);
			timer.unref();
			this.timers.push(timer);
		};
		const { heartbeatTimeoutMs, idleRecheckMs } = hub.settings;
		every(Math.max(50, Math.min(heartbeatTimeoutMs / 4, 5_000)), () => sweepIdle(hub));
		every(Math.max(100, idleRecheckMs / 2), () => sweepAuthorization(hub));
		every(60 * 60_000, () => void pruneMessages(hub.db).catch(() => undefined));
	}

	handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
		return handleUpgrade(this.hub, request, socket, head);
	}

	reauthorize(topic?: string): Promise<void> {
		return reauthorize(this.hub, topic);
	}

	stats(): RealtimeStats {
		const hub = this.hub;
		let channels = 0;
		for (const conn of hub.conns) channels += conn.channels.size;
		let presences = 0;
		for (const presence of hub.presences.values()) presences += presence.size;
		return {
			sockets: hub.conns.size,
			channels,
			topics: hub.topics.size,
			presences,
			queues: hub.queues.size
		};
	}

	async close(): Promise<void> {
		const hub = this.hub;
		if (hub.closed) return;
		hub.closed = true;
		for (const timer of this.timers) clearInterval(timer);
		for (const conn of [...hub.conns]) {
			dropConn(hub, conn);
			conn.ws.terminate();
		}
		// Queued work waits on the database; a stop must not wait on it for ever.
		await Promise.race([Promise.allSettled([...hub.queues.values()]), delay(5000)]);
		await Promise.race([this.unlisten?.().catch(() => undefined), delay(5000)]);
		await new Promise<void>((resolve) => hub.wss.close(() => resolve()));
	}
}
