// The wire protocol of the local Realtime server, against what realtime-js and
// hosted Supabase Realtime do: Phoenix join/leave/heartbeat, both serializers,
// error replies, and what happens to bad, oversized and silent clients.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type RealtimeChannel } from '@supabase/supabase-js';
import ws from 'ws';
import type { Stack } from '../stack';
import { startTestStack } from './helpers';

type Frame = { kind: 'text'; json: unknown } | { kind: 'binary'; bytes: Buffer };

/** A bare WebSocket client, for what realtime-js cannot be made to send or would hide. */
class Raw {
	frames: Frame[] = [];
	closed: Promise<{ code: number; reason: string }>;
	private waiters: (() => void)[] = [];
	private constructor(readonly socket: ws) {
		socket.on('message', (data, isBinary) => {
			const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
			this.frames.push(
				isBinary ? { kind: 'binary', bytes } : { kind: 'text', json: JSON.parse(bytes.toString()) }
			);
			for (const wake of this.waiters.splice(0)) wake();
		});
		this.closed = new Promise((resolve) =>
			socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))
		);
	}

	static open(stack: Stack, vsn = '2.0.0', apikey = stack.publishableKey): Promise<Raw> {
		const url = `${stack.url.replace('http', 'ws')}/realtime/v1/websocket?apikey=${apikey}&vsn=${vsn}`;
		const socket = new ws(url);
		return new Promise((resolve, reject) => {
			socket.once('open', () => resolve(new Raw(socket)));
			socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
			socket.once('error', reject);
		});
	}

	send(frame: unknown): void {
		this.socket.send(Buffer.isBuffer(frame) || typeof frame === 'string' ? frame : JSON.stringify(frame));
	}

	/** Resolves with the first frame (seen or still to come) matching `match`. */
	async next(match: (frame: Frame) => boolean, timeoutMs = 3_000): Promise<Frame> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = this.frames.find(match);
			if (found) return found;
			const left = deadline - Date.now();
			if (left <= 0) throw new Error('no matching frame');
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, left);
				this.waiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
	}

	/** A 2.0.0 text frame [join_ref, ref, topic, event, payload] with these fields. */
	async nextArray(topic: string, event: string, ref?: string, timeoutMs?: number): Promise<unknown[]> {
		const frame = await this.next(
			(f) =>
				f.kind === 'text' &&
				Array.isArray(f.json) &&
				f.json[2] === topic &&
				f.json[3] === event &&
				(ref === undefined || f.json[1] === ref),
			timeoutMs
		);
		return (frame as { json: unknown[] }).json;
	}

	close(): void {
		this.socket.terminate();
	}
}

function join(raw: Raw, topic: string, ref: string, config: Record<string, unknown> = {}, extra = {}): void {
	raw.send([
		ref,
		ref,
		topic,
		'phx_join',
		{
			config: {
				broadcast: { self: false, ack: false },
				presence: { key: '', enabled: false },
				private: false,
				...config
			},
			...extra
		}
	]);
}

async function joined(raw: Raw, topic: string, ref: string, config: Record<string, unknown> = {}) {
	join(raw, topic, ref, config);
	return raw.nextArray(topic, 'phx_reply', ref);
}

function client(stack: Stack, vsn?: '1.0.0' | '2.0.0') {
	return createClient(stack.url, stack.publishableKey, {
		auth: { persistSession: false, autoRefreshToken: false },
		realtime: { transport: ws as never, ...(vsn ? { vsn } : {}) }
	});
}

function subscribed(channel: RealtimeChannel): Promise<void> {
	return new Promise((resolve, reject) =>
		channel.subscribe((status, error) => {
			if (status === 'SUBSCRIBED') resolve();
			else if (status !== 'CLOSED') reject(error ?? new Error(status));
		})
	);
}

async function waitFor(check: () => boolean, timeoutMs = 3_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error('timed out waiting');
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('realtime protocol', () => {
	let stack: Stack;
	const raws: Raw[] = [];
	const clients: ReturnType<typeof client>[] = [];
	const open = async (vsn?: string, apikey?: string) => {
		const raw = await Raw.open(stack, vsn, apikey);
		raws.push(raw);
		return raw;
	};
	const newClient = (vsn?: '1.0.0' | '2.0.0') => {
		const c = client(stack, vsn);
		clients.push(c);
		return c;
	};

	beforeAll(async () => {
		stack = await startTestStack();
	});
	afterEach(async () => {
		for (const raw of raws.splice(0)) raw.close();
		await Promise.all(clients.splice(0).map((c) => c.removeAllChannels()));
		// Each test starts from a server with no sockets left over.
		await waitFor(() => stack.realtime.stats().sockets === 0);
	});
	afterAll(async () => {
		await stack.stop();
	});

	it('joins with phx_join, leaves with phx_leave and then phx_close', async () => {
		const raw = await open();
		expect(await joined(raw, 'realtime:lobby', '1')).toEqual([
			'1',
			'1',
			'realtime:lobby',
			'phx_reply',
			{ status: 'ok', response: { postgres_changes: [] } }
		]);
		expect(stack.realtime.stats()).toMatchObject({ sockets: 1, channels: 1, topics: 1 });

		raw.send(['1', '2', 'realtime:lobby', 'phx_leave', {}]);
		expect(await raw.nextArray('realtime:lobby', 'phx_reply', '2')).toEqual([
			'1',
			'2',
			'realtime:lobby',
			'phx_reply',
			{ status: 'ok', response: {} }
		]);
		expect(await raw.nextArray('realtime:lobby', 'phx_close')).toEqual([
			'1',
			'1',
			'realtime:lobby',
			'phx_close',
			{}
		]);
		expect(stack.realtime.stats()).toMatchObject({ sockets: 1, channels: 0, topics: 0 });
	});

	it('answers heartbeats on the phoenix topic', async () => {
		const raw = await open();
		raw.send([null, '7', 'phoenix', 'heartbeat', {}]);
		expect(await raw.nextArray('phoenix', 'phx_reply', '7')).toEqual([
			null,
			'7',
			'phoenix',
			'phx_reply',
			{ status: 'ok', response: {} }
		]);
	});

	it('supabase-js subscribes, and unsubscribes with "ok"', async () => {
		const c = newClient();
		const channel = c.channel('hello');
		await subscribed(channel);
		expect(stack.realtime.stats().channels).toBe(1);
		expect(await channel.unsubscribe()).toBe('ok');
		await waitFor(() => stack.realtime.stats().channels === 0);
		expect(stack.realtime.stats().channels).toBe(0);
	});

	it('speaks 1.0.0: JSON objects in, JSON objects out', async () => {
		const raw = await open('1.0.0');
		raw.send({
			topic: 'realtime:v1room',
			event: 'phx_join',
			payload: { config: {} },
			ref: '1',
			join_ref: '1'
		});
		const reply = await raw.next((f) => f.kind === 'text' && (f.json as { ref?: string }).ref === '1');
		expect(reply).toEqual({
			kind: 'text',
			json: {
				topic: 'realtime:v1room',
				event: 'phx_reply',
				payload: { status: 'ok', response: { postgres_changes: [] } },
				ref: '1'
			}
		});
		await stack.sql(`select realtime.send('{"n":1}'::jsonb, 'db', 'v1room', false)`);
		const message = await raw.next(
			(f) => f.kind === 'text' && (f.json as { event?: string }).event === 'broadcast'
		);
		expect(message).toMatchObject({
			kind: 'text',
			json: {
				topic: 'realtime:v1room',
				event: 'broadcast',
				payload: {
					type: 'broadcast',
					event: 'db',
					payload: { n: 1 },
					meta: { id: expect.any(String) as unknown }
				},
				ref: null
			}
		});
		// 1.0.0 has no binary frames: the server refuses them by closing.
		raw.send(Buffer.from([3, 0, 0, 0, 0, 0, 1]));
		expect((await raw.closed).code).toBe(1003);
	});

	it('speaks 2.0.0: broadcasts arrive as binary user-broadcast frames (kind 4)', async () => {
		const raw = await open('2.0.0');
		await joined(raw, 'realtime:v2room', '1');
		await stack.sql(`select realtime.send('{"n":2}'::jsonb, 'db', 'v2room', false)`);
		const frame = await raw.next((f) => f.kind === 'binary');
		const bytes = (frame as { bytes: Buffer }).bytes;
		expect(bytes[0]).toBe(4);
		const [topicSize, eventSize, metaSize, encoding] = [bytes[1], bytes[2], bytes[3], bytes[4]];
		let offset = 5;
		const topic = bytes.toString('utf8', offset, (offset += topicSize));
		const event = bytes.toString('utf8', offset, (offset += eventSize));
		const meta = JSON.parse(bytes.toString('utf8', offset, (offset += metaSize))) as { id: string };
		const payload = JSON.parse(bytes.toString('utf8', offset)) as unknown;
		expect({ topic, event, encoding, payload }).toEqual({
			topic: 'realtime:v2room',
			event: 'db',
			encoding: 1,
			payload: { n: 2, id: meta.id }
		});
	});

	it('lets 1.0.0 and 2.0.0 clients broadcast to each other', async () => {
		const v1 = newClient('1.0.0');
		const v2 = newClient('2.0.0');
		expect(v1.realtime.vsn).toBe('1.0.0');
		expect(v2.realtime.vsn).toBe('2.0.0');
		const got1: unknown[] = [];
		const got2: unknown[] = [];
		const c1 = v1.channel('mixed').on('broadcast', { event: '*' }, (m) => got1.push(m));
		const c2 = v2.channel('mixed').on('broadcast', { event: '*' }, (m) => got2.push(m));
		await Promise.all([subscribed(c1), subscribed(c2)]);
		await c1.send({ type: 'broadcast', event: 'from-v1', payload: { a: 'ắ' } });
		await c2.send({ type: 'broadcast', event: 'from-v2', payload: { b: 'ខ្មែរ' } });
		await waitFor(() => got1.length === 1 && got2.length === 1);
		expect(got1).toEqual([{ type: 'broadcast', event: 'from-v2', payload: { b: 'ខ្មែរ' } }]);
		expect(got2).toEqual([{ type: 'broadcast', event: 'from-v1', payload: { a: 'ắ' } }]);
	});

	it('refuses a missing or unknown API key at the upgrade, and unknown protocol versions', async () => {
		await expect(Raw.open(stack, '2.0.0', 'sb_publishable_nottherealkey')).rejects.toThrow('HTTP 401');
		await expect(Raw.open(stack, '2.0.0', '')).rejects.toThrow('HTTP 401');
		await expect(Raw.open(stack, '3.0.0')).rejects.toThrow('HTTP 403');
		// The secret key is accepted (it stands for service_role).
		const raw = await open('2.0.0', stack.secretKey);
		expect((await joined(raw, 'realtime:admin', '1'))[4]).toMatchObject({ status: 'ok' });
	});

	it('answers joins of unknown or empty topics, and messages to topics not joined, with errors', async () => {
		const raw = await open();
		join(raw, 'lobby', '1');
		expect(await raw.nextArray('lobby', 'phx_reply', '1')).toEqual([
			'1',
			'1',
			'lobby',
			'phx_reply',
			{ status: 'error', response: { reason: 'unmatched topic' } }
		]);
		join(raw, 'realtime:', '2');
		expect((await raw.nextArray('realtime:', 'phx_reply', '2'))[4]).toEqual({
			status: 'error',
			response: { reason: 'TopicNameRequired: You must provide a topic name' }
		});
		raw.send([
			null,
			'3',
			'realtime:never-joined',
			'broadcast',
			{ type: 'broadcast', event: 'x', payload: {} }
		]);
		expect((await raw.nextArray('realtime:never-joined', 'phx_reply', '3'))[4]).toEqual({
			status: 'error',
			response: { reason: 'unmatched topic' }
		});
		join(raw, 'realtime:changes', '4', { postgres_changes: [{ event: '*', schema: 'public', table: 'x' }] });
		const reply = (await raw.nextArray('realtime:changes', 'phx_reply', '4'))[4] as {
			status: string;
			response: { reason: string };
		};
		expect(reply.status).toBe('error');
		expect(reply.response.reason).toMatch(/^PostgresChangesNotSupported/);
		expect(stack.realtime.stats().channels).toBe(0);
	});

	it('answers malformed frames it can place with an error reply, and closes the socket on the rest', async () => {
		const bystander = newClient();
		const seen: unknown[] = [];
		const channel = bystander.channel('calm').on('broadcast', { event: '*' }, (m) => seen.push(m));
		await subscribed(channel);

		const raw = await open();
		raw.send(['1', '1', 'realtime:calm', 'phx_join', 'not an object']);
		expect((await raw.nextArray('realtime:calm', 'phx_reply', '1'))[4]).toEqual({
			status: 'error',
			response: { reason: 'MalformedMessage: payload must be an object' }
		});
		raw.send('{"this is": "not an array"}');
		expect((await raw.closed).code).toBe(1007);

		const garbage = await open();
		garbage.send('][ not json');
		expect((await garbage.closed).code).toBe(1007);
		const binary = await open();
		binary.send(Buffer.from([9, 9, 9]));
		expect((await binary.closed).code).toBe(1007);
		const truncated = await open();
		truncated.send(Buffer.from([3, 5, 5, 200, 1, 0, 1, 65]));
		expect((await truncated.closed).code).toBe(1007);

		// Nobody else noticed.
		await stack.sql(`select realtime.send('{"still":"here"}'::jsonb, 'ping', 'calm', false)`);
		await waitFor(() => seen.length === 1);
		expect(seen[0]).toMatchObject({ event: 'ping', payload: { still: 'here' } });
	});

	it('refuses oversized payloads: an error reply under ack, a 1009 close for huge frames', async () => {
		const receiver = await open();
		await joined(receiver, 'realtime:big', '1');
		const sender = await open();
		await joined(sender, 'realtime:big', '1', { broadcast: { ack: true, self: false } });

		const over = 'x'.repeat(256 * 1024 + 10);
		sender.send([
			'1',
			'2',
			'realtime:big',
			'broadcast',
			{ type: 'broadcast', event: 'big', payload: { over } }
		]);
		const reply = (await sender.nextArray('realtime:big', 'phx_reply', '2'))[4] as {
			status: string;
			response: { reason: string };
		};
		expect(reply.status).toBe('error');
		expect(reply.response.reason).toMatch(/^PayloadSizeExceeded/);

		const fits = 'y'.repeat(200 * 1024);
		sender.send([
			'1',
			'3',
			'realtime:big',
			'broadcast',
			{ type: 'broadcast', event: 'fits', payload: { fits } }
		]);
		expect((await sender.nextArray('realtime:big', 'phx_reply', '3'))[4]).toEqual({
			status: 'ok',
			response: {}
		});
		const delivered = await receiver.nextArray('realtime:big', 'broadcast');
		expect((delivered[4] as { event: string }).event).toBe('fits');
		expect(receiver.frames.some((f) => f.kind === 'text' && JSON.stringify(f.json).includes('"big"'))).toBe(
			false
		);

		sender.send([
			'1',
			'4',
			'realtime:big',
			'broadcast',
			{ type: 'broadcast', event: 'huge', payload: { huge: 'z'.repeat(2 * 1024 * 1024) } }
		]);
		expect((await sender.closed).code).toBe(1009);
		await waitFor(() => stack.realtime.stats().channels === 1);
		expect(stack.realtime.stats()).toMatchObject({ sockets: 1, channels: 1 });
	});

	it('acks a broadcast only when the channel asked for ack', async () => {
		const quiet = await open();
		await joined(quiet, 'realtime:acks', '1');
		quiet.send(['1', '2', 'realtime:acks', 'broadcast', { type: 'broadcast', event: 'e', payload: {} }]);
		await sleep(300);
		expect(quiet.frames.filter((f) => f.kind === 'text' && (f.json as unknown[])[1] === '2')).toEqual([]);

		const loud = await open();
		await joined(loud, 'realtime:acks', '1', { broadcast: { ack: true, self: false } });
		loud.send(['1', '2', 'realtime:acks', 'broadcast', { type: 'broadcast', event: 'e', payload: {} }]);
		expect((await loud.nextArray('realtime:acks', 'phx_reply', '2'))[4]).toEqual({
			status: 'ok',
			response: {}
		});
	});

	it('keeps nothing for sockets that went away', async () => {
		const watcher = await open();
		await joined(watcher, 'realtime:crowd', '1', { presence: { key: 'watcher', enabled: true } });
		const before = stack.realtime.stats();
		const crowd = await Promise.all(Array.from({ length: 20 }, () => Raw.open(stack)));
		await Promise.all(
			crowd.map(async (raw, i) => {
				await joined(raw, 'realtime:crowd', '1', { presence: { key: `p${i}`, enabled: true } });
				await joined(raw, `realtime:own-${i}`, '2');
				raw.send([
					'1',
					'3',
					'realtime:crowd',
					'presence',
					{ type: 'presence', event: 'track', payload: { i } }
				]);
				await raw.nextArray('realtime:crowd', 'phx_reply', '3');
			})
		);
		expect(stack.realtime.stats()).toMatchObject({ sockets: before.sockets + 20, presences: 20 });
		for (const raw of crowd) raw.close(); // abrupt: no close handshake
		await waitFor(() => stack.realtime.stats().sockets === before.sockets);
		expect(stack.realtime.stats()).toEqual(before);
		// Everyone who left was reported as a presence leave.
		await waitFor(
			() =>
				watcher.frames.filter(
					(f) =>
						f.kind === 'text' &&
						(f.json as unknown[])[3] === 'presence_diff' &&
						Object.keys(((f.json as unknown[])[4] as { leaves: object }).leaves).length > 0
				).length === 20
		);
		expect(stack.realtime.stats().presences).toBe(0);
	});
});

describe('realtime heartbeat timeout', () => {
	let stack: Stack;
	beforeAll(async () => {
		stack = await startTestStack({ realtime: { heartbeatTimeoutMs: 600 } });
	});
	afterAll(async () => {
		await stack.stop();
	});

	it('closes a socket that stops sending, and keeps one that sends heartbeats', async () => {
		const silent = await Raw.open(stack);
		const alive = await Raw.open(stack);
		await joined(silent, 'realtime:beat', '1', { presence: { key: 'silent', enabled: true } });
		await joined(alive, 'realtime:beat', '1', { presence: { key: 'alive', enabled: true } });
		silent.send(['1', '2', 'realtime:beat', 'presence', { type: 'presence', event: 'track', payload: {} }]);
		await silent.nextArray('realtime:beat', 'phx_reply', '2');

		const started = Date.now();
		const beats = setInterval(() => alive.send([null, String(Date.now()), 'phoenix', 'heartbeat', {}]), 150);
		try {
			const closed = await silent.closed;
			expect(closed.code).toBe(1001);
			expect(closed.reason).toBe('heartbeat timeout');
			expect(Date.now() - started).toBeLessThan(3_000);
			await sleep(800);
			expect(alive.socket.readyState).toBe(ws.OPEN);
			expect(stack.realtime.stats()).toMatchObject({ sockets: 1, channels: 1, presences: 0 });
			const diffs = alive.frames
				.flatMap((f) =>
					f.kind === 'text' && (f.json as unknown[])[3] === 'presence_diff' ? [f.json as unknown[]] : []
				)
				.map((json) => json[4] as { joins: object; leaves: object });
			expect(diffs.map((d) => [Object.keys(d.joins), Object.keys(d.leaves)])).toEqual([
				[['silent'], []],
				[[], ['silent']]
			]);
		} finally {
			clearInterval(beats);
			alive.close();
		}
	});
});
