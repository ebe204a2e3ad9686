// The Phoenix wire formats @supabase/realtime-js speaks, as Supabase Realtime's
// server implements them (Phoenix V1 JSON serializer and RealtimeWeb.Socket.V2Serializer):
//   1.0.0  text frames holding JSON objects {topic, event, payload, ref, join_ref}
//   2.0.0  text frames holding JSON arrays [join_ref, ref, topic, event, payload], plus
//          binary frames: kind 3 "user broadcast push" (client -> server) and
//          kind 4 "user broadcast" (server -> client), which carry a broadcast's own
//          payload as raw bytes so the server never re-encodes it.

export type Vsn = '1.0.0' | '2.0.0';
export const VSNS: readonly Vsn[] = ['1.0.0', '2.0.0'];

export interface Message {
	joinRef: string | null;
	ref: string | null;
	topic: string;
	event: string;
	payload: Record<string, unknown>;
}

/** A broadcast whose user payload travels as bytes (binary frames and database messages). */
export interface UserBroadcast {
	event: string;
	encoding: 'json' | 'binary';
	/** JSON text (already validated) or raw bytes. */
	payload: Buffer;
	meta?: Record<string, unknown>;
}

export type Incoming =
	| ({ kind: 'message' } & Message)
	| ({ kind: 'user_broadcast' } & Omit<Message, 'payload' | 'event'> & { broadcast: UserBroadcast });

/** A frame we cannot act on. `topic`/`ref` are set when we got far enough to reply. */
export class ProtocolError extends Error {
	constructor(
		message: string,
		readonly at: { joinRef?: string | null; ref?: string | null; topic?: string } = {}
	) {
		super(message);
	}
	get canReply(): boolean {
		return typeof this.at.topic === 'string' && typeof this.at.ref === 'string';
	}
}

const USER_BROADCAST_PUSH = 3;
const USER_BROADCAST = 4;

export function decode(data: Buffer, isBinary: boolean, vsn: Vsn): Incoming {
	if (isBinary) {
		if (vsn === '1.0.0') throw new ProtocolError('binary frames need protocol 2.0.0');
		return decodeBinary(data);
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(data.toString('utf8'));
	} catch {
		throw new ProtocolError('frame is not valid JSON');
	}
	if (vsn === '2.0.0') {
		if (!Array.isArray(parsed) || parsed.length < 5) {
			throw new ProtocolError('expected a [join_ref, ref, topic, event, payload] array');
		}
		const [joinRef, ref, topic, event, payload] = parsed as unknown[];
		return { kind: 'message', ...checkFields(joinRef, ref, topic, event, payload) };
	}
	if (!isObject(parsed)) throw new ProtocolError('expected a {topic, event, payload, ref} object');
	const { join_ref, ref, topic, event, payload } = parsed;
	return { kind: 'message', ...checkFields(join_ref ?? null, ref ?? null, topic, event, payload) };
}

function checkFields(
	joinRef: unknown,
	ref: unknown,
	topic: unknown,
	event: unknown,
	payload: unknown
): Message {
	const at = {
		joinRef: optionalRef(joinRef),
		ref: optionalRef(ref),
		topic: typeof topic === 'string' ? topic : undefined
	};
	if (at.joinRef === undefined || at.ref === undefined) throw new ProtocolError('refs must be strings', at);
	if (at.topic === undefined) throw new ProtocolError('topic must be a string', at);
	if (typeof event !== 'string') throw new ProtocolError('event must be a string', at);
	if (!isObject(payload)) throw new ProtocolError('payload must be an object', at);
	return { joinRef: at.joinRef, ref: at.ref, topic: at.topic, event, payload };
}

// Phoenix clients send refs as strings; accept numbers too, as Phoenix does.
function optionalRef(value: unknown): string | null | undefined {
	if (value === null) return null;
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

function decodeBinary(data: Buffer): Incoming {
	const kind = data[0];
	if (kind !== USER_BROADCAST_PUSH)
		throw new ProtocolError(`unsupported binary frame kind ${kind ?? 'none'}`);
	// kind, join_ref size, ref size, topic size, user event size, metadata size, encoding
	if (data.length < 7) throw new ProtocolError('truncated binary frame');
	const sizes = [data[1], data[2], data[3], data[4], data[5]];
	const encodingByte = data[6];
	let offset = 7;
	const fields: string[] = [];
	for (const size of sizes) {
		if (offset + size > data.length) throw new ProtocolError('truncated binary frame');
		fields.push(data.toString('utf8', offset, offset + size));
		offset += size;
	}
	const [joinRef, ref, topic, userEvent, metadata] = fields;
	const at = { joinRef: joinRef || null, ref: ref || null, topic };
	if (encodingByte !== 0 && encodingByte !== 1) throw new ProtocolError('unknown payload encoding', at);
	if (metadata) {
		try {
			JSON.parse(metadata);
		} catch {
			throw new ProtocolError('metadata is not valid JSON', at);
		}
	}
	const payload = data.subarray(offset);
	const encoding = encodingByte === 1 ? 'json' : 'binary';
	if (encoding === 'json') {
		try {
			JSON.parse(payload.toString('utf8'));
		} catch {
			throw new ProtocolError('broadcast payload is not valid JSON', at);
		}
	}
	// The server keeps no client metadata (hosted Realtime drops it too).
	return { kind: 'user_broadcast', ...at, broadcast: { event: userEvent, encoding, payload } };
}

export function encodeMessage(vsn: Vsn, m: Message): string {
	if (vsn === '2.0.0') return JSON.stringify([m.joinRef, m.ref, m.topic, m.event, m.payload]);
	// Phoenix's V1 serializer sends only these four fields.
	return JSON.stringify({ topic: m.topic, event: m.event, payload: m.payload, ref: m.ref });
}

export function encodeReply(
	vsn: Vsn,
	to: { joinRef: string | null; ref: string | null; topic: string },
	status: 'ok' | 'error',
	response: unknown
): string {
	return encodeMessage(vsn, { ...to, event: 'phx_reply', payload: { status, response } });
}

/**
 * A user broadcast for one topic, encoded at most once per protocol version however
 * many subscribers receive it. Returns null where the version cannot carry it
 * (binary payloads to 1.0.0 clients, as on hosted Realtime).
 */
export function userBroadcastEncoder(topic: string, b: UserBroadcast): (vsn: Vsn) => string | Buffer | null {
	const cache = new Map<Vsn, string | Buffer | null>();
	return (vsn) => {
		if (!cache.has(vsn)) cache.set(vsn, encodeUserBroadcast(vsn, topic, b));
		return cache.get(vsn)!;
	};
}

function encodeUserBroadcast(vsn: Vsn, topic: string, b: UserBroadcast): string | Buffer | null {
	if (vsn === '1.0.0') {
		if (b.encoding !== 'json') return null;
		// The payload bytes were validated as JSON when they came in; splice them in as is.
		const meta = b.meta ? `,"meta":${JSON.stringify(b.meta)}` : '';
		return (
			`{"topic":${JSON.stringify(topic)},"event":"broadcast","payload":{"event":${JSON.stringify(b.event)},` +
			`"payload":${b.payload.toString('utf8')},"type":"broadcast"${meta}},"ref":null}`
		);
	}
	const topicBytes = Buffer.from(topic, 'utf8');
	const eventBytes = Buffer.from(b.event, 'utf8');
	const metaBytes = Buffer.from(b.meta ? JSON.stringify(b.meta) : '', 'utf8');
	if (topicBytes.length > 255 || eventBytes.length > 255 || metaBytes.length > 255) return null;
	const header = Buffer.from([
		USER_BROADCAST,
		topicBytes.length,
		eventBytes.length,
		metaBytes.length,
		b.encoding === 'json' ? 1 : 0
	]);
	return Buffer.concat([header, topicBytes, eventBytes, metaBytes, b.payload]);
}

export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
