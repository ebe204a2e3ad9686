// Sockets and frames (hosted: RealtimeWeb.UserSocket): the upgrade and its API
// key, one queue per socket so its frames are handled in order as a Phoenix
// channel process would, decoding and dispatching frames, output with
// back-pressure, and forgetting everything about a closed socket at once.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, type RawData } from 'ws';
import { apiKeyIdentity, type Identity } from '../jwt';
import { accessToken, closeChannel, join, removeChannel } from './channels';
import { clientBroadcast, presence } from './fanout';
import { decode, encodeMessage, encodeReply, ProtocolError, VSNS, type Vsn } from './protocol';
import type { Address, Channel, Conn, Hub } from './types';

/** A socket with this many frames waiting to be handled is flooding: close it. */
const MAX_PENDING_FRAMES = 500;

export function handleUpgrade(hub: Hub, request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
	const url = new URL(request.url ?? '/', 'http://localhost');
	if (url.pathname !== hub.settings.path || hub.closed) return false;
	const apiKey = url.searchParams.get('apikey') ?? headerValue(request.headers.apikey);
	if (!apiKey) return refuse(socket, 401, 'API key is missing');
	const role =
		apiKey === hub.keys.publishableKey ? 'anon' : apiKey === hub.keys.secretKey ? 'service_role' : null;
	if (!role) return refuse(socket, 401, 'Invalid API key');
	const vsn = (url.searchParams.get('vsn') ?? '1.0.0') as Vsn;
	if (!VSNS.includes(vsn)) return refuse(socket, 403, `Unsupported protocol version ${vsn}`);
	hub.wss.handleUpgrade(request, socket, head, (ws) => onConnection(hub, ws, vsn, apiKeyIdentity(role)));
	return true;
}

function onConnection(hub: Hub, ws: WebSocket, vsn: Vsn, apiKey: Identity): void {
	// The handshake finished after close() began: nobody will drop this one later.
	if (hub.closed) return void ws.terminate();
	const conn: Conn = {
		id: hub.nextId++,
		ws,
		vsn,
		apiKey,
		channels: new Map(),
		lastSeen: Date.now(),
		queue: Promise.resolve(),
		pending: 0,
		closed: false
	};
	hub.conns.add(conn);
	ws.on('message', (data, isBinary) => {
		conn.lastSeen = Date.now();
		if (conn.pending >= MAX_PENDING_FRAMES) return closeConn(hub, conn, 1008, 'too many messages in flight');
		serially(hub, conn, () => onFrame(hub, conn, toBuffer(data), isBinary));
	});
	ws.on('close', () => dropConn(hub, conn));
	// ws reports protocol violations (e.g. a frame over maxPayload) here, then closes.
	ws.on('error', (error) => hub.log(`realtime: socket ${conn.id}: ${error.message}`));
}

/** Frames and timers of one socket run one after another, as in a Phoenix channel process. */
export function serially(hub: Hub, conn: Conn, task: () => void | Promise<void>): void {
	conn.pending++;
	conn.queue = conn.queue
		.then(task)
		.catch((error: unknown) => {
			hub.log(`realtime: socket ${conn.id}: ${error instanceof Error ? error.stack : String(error)}`);
			closeConn(hub, conn, 1011, 'internal error');
		})
		.finally(() => {
			conn.pending--;
		});
}

export function closeConn(hub: Hub, conn: Conn, code: number, reason: string): void {
	if (conn.closed) return;
	dropConn(hub, conn);
	conn.ws.close(code, reason);
	// A dead peer never answers the close handshake.
	setTimeout(() => conn.ws.terminate(), 2_000).unref();
}

/** Forget everything about a socket at once, so nothing is kept (or sent) for a dead peer. */
export function dropConn(hub: Hub, conn: Conn): void {
	if (conn.closed) return;
	conn.closed = true;
	for (const channel of [...conn.channels.values()]) removeChannel(hub, channel);
	hub.conns.delete(conn);
}

export function sweepIdle(hub: Hub): void {
	const now = Date.now();
	for (const conn of hub.conns) {
		if (now - conn.lastSeen > hub.settings.heartbeatTimeoutMs)
			closeConn(hub, conn, 1001, 'heartbeat timeout');
	}
}

async function onFrame(hub: Hub, conn: Conn, data: Buffer, isBinary: boolean): Promise<void> {
	if (conn.closed) return;
	let incoming;
	try {
		incoming = decode(data, isBinary, conn.vsn);
	} catch (error) {
		if (!(error instanceof ProtocolError)) throw error;
		hub.log(`realtime: socket ${conn.id}: MalformedWebSocketMessage: ${error.message}`);
		if (error.canReply) {
			const to = { joinRef: error.at.joinRef ?? null, ref: error.at.ref ?? null, topic: error.at.topic! };
			reply(hub, conn, to, 'error', { reason: `MalformedMessage: ${error.message}` });
		} else {
			// Nothing to answer to: close, so a confused client starts over instead of waiting.
			closeConn(hub, conn, isBinary && conn.vsn === '1.0.0' ? 1003 : 1007, 'malformed message');
		}
		return;
	}

	const { topic } = incoming;
	if (incoming.kind === 'user_broadcast') {
		const channel = conn.channels.get(topic);
		if (!channel) return replyUnmatched(hub, conn, incoming);
		return clientBroadcast(hub, channel, incoming.ref, { user: incoming.broadcast });
	}
	if (topic === 'phoenix' && incoming.event === 'heartbeat') return reply(hub, conn, incoming, 'ok', {});
	if (incoming.event === 'phx_join') return join(hub, conn, incoming);
	const channel = conn.channels.get(topic);
	if (!channel) return replyUnmatched(hub, conn, incoming);
	switch (incoming.event) {
		case 'phx_leave':
			reply(hub, conn, incoming, 'ok', {});
			return closeChannel(hub, channel);
		case 'broadcast':
			return clientBroadcast(hub, channel, incoming.ref, { json: incoming.payload });
		case 'presence':
			return presence(hub, channel, incoming);
		case 'access_token':
			return accessToken(hub, channel, incoming.payload.access_token);
		default:
			// Hosted Realtime ignores unknown events too (and only logs them at info level).
			return;
	}
}

/** Phoenix's answer to a message for a topic this socket has not joined. */
function replyUnmatched(hub: Hub, conn: Conn, to: Address): void {
	if (to.ref !== null) reply(hub, conn, to, 'error', { reason: 'unmatched topic' });
}

// ---- output -------------------------------------------------------------------------

export function send(hub: Hub, conn: Conn, data: string | Buffer): void {
	if (conn.closed || conn.ws.readyState !== WebSocket.OPEN) return;
	if (conn.ws.bufferedAmount > hub.settings.maxBufferedBytes) {
		return closeConn(hub, conn, 1008, 'client too slow');
	}
	conn.ws.send(data);
}

export function reply(hub: Hub, conn: Conn, to: Address, status: 'ok' | 'error', response: object): void {
	send(hub, conn, encodeReply(conn.vsn, to, status, response));
}

export function push(
	hub: Hub,
	channel: Channel,
	event: string,
	payload: Record<string, unknown>,
	ref: string | null = null
): void {
	send(
		hub,
		channel.conn,
		encodeMessage(channel.conn.vsn, { joinRef: channel.joinRef, ref, topic: channel.topic, event, payload })
	);
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
