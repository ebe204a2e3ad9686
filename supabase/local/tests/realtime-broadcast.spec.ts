// Broadcast between clients (self, ack) and from the database (realtime.send and
// realtime.broadcast_changes called from triggers), with the real supabase-js client.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { anonClient, signedInUser, startTestStack, type TestStack } from './helpers';

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

type Received = { type: string; event: string; payload: Record<string, unknown>; meta?: { id: string } };

describe('realtime broadcast', () => {
	let stack: TestStack;
	const clients: SupabaseClient[] = [];
	const newClient = () => {
		const client = anonClient(stack);
		clients.push(client);
		return client;
	};
	/** A subscribed channel and what it received. */
	const listen = async (client: SupabaseClient, topic: string, config: Record<string, unknown> = {}) => {
		const got: Received[] = [];
		const channel = client
			.channel(topic, { config })
			.on('broadcast', { event: '*' }, (m) => got.push(m as Received));
		await subscribed(channel);
		return { channel, got };
	};

	beforeAll(async () => {
		stack = await startTestStack();
		// A table whose inserts are broadcast by a trigger, the way Supabase documents it.
		await stack.sql(
			`create table public.rt_notes (id bigint generated always as identity primary key, room text not null, body text not null)`
		);
		await stack.sql(`alter table public.rt_notes enable row level security`);
		await stack.sql(
			`create policy rt_notes_insert on public.rt_notes for insert to authenticated with check (true)`
		);
		await stack.sql(
			`create policy rt_notes_select on public.rt_notes for select to authenticated using (true)`
		);
		await stack.sql(`
			create function public.rt_notes_broadcast() returns trigger
			language plpgsql security definer set search_path = '' as $$
			begin
			  perform realtime.broadcast_changes('notes:' || new.room, tg_op, tg_op, tg_table_name, tg_table_schema, new, old);
			  return null;
			end $$`);
		await stack.sql(
			`create trigger rt_notes_broadcast after insert on public.rt_notes for each row execute function public.rt_notes_broadcast()`
		);
		// broadcast_changes always sends on the private topic, so readers need a SELECT policy.
		await stack.sql(
			`create policy rt_notes_read on realtime.messages for select to authenticated using (realtime.topic() like 'notes:%')`
		);
		// An invoker-rights caller of realtime.send, reachable through the REST API.
		await stack.sql(
			`create function public.rt_send_as_caller(topic text) returns void language sql as $$ select realtime.send('{"x":1}'::jsonb, 'x', topic, false) $$`
		);
		await stack.connection.clearSchemaCache();
	});
	afterEach(async () => {
		await Promise.all(clients.splice(0).map((c) => c.removeAllChannels()));
	});
	afterAll(async () => {
		await stack.stop();
	});

	it('does not echo to the sender unless self is on', async () => {
		const sender = await listen(newClient(), 'echo');
		const other = await listen(newClient(), 'echo');
		expect(await sender.channel.send({ type: 'broadcast', event: 'hi', payload: { n: 1 } })).toBe('ok');
		await waitFor(() => other.got.length === 1);
		await sleep(200);
		expect(sender.got).toEqual([]);
		expect(other.got).toEqual([{ type: 'broadcast', event: 'hi', payload: { n: 1 } }]);

		const selfish = await listen(newClient(), 'echo2', { broadcast: { self: true } });
		await selfish.channel.send({ type: 'broadcast', event: 'me', payload: { n: 2 } });
		await waitFor(() => selfish.got.length === 1);
		expect(selfish.got[0]).toEqual({ type: 'broadcast', event: 'me', payload: { n: 2 } });
	});

	it('acknowledges a send when ack is on', async () => {
		const acked = await listen(newClient(), 'acked', { broadcast: { ack: true } });
		const other = await listen(newClient(), 'acked');
		expect(await acked.channel.send({ type: 'broadcast', event: 'a', payload: { n: 1 } })).toBe('ok');
		await waitFor(() => other.got.length === 1);
		expect(other.got[0]).toEqual({ type: 'broadcast', event: 'a', payload: { n: 1 } });
	});

	it('delivers realtime.send from SQL to subscribers of that topic only', async () => {
		const room = await listen(newClient(), 'room-a');
		const elsewhere = await listen(newClient(), 'room-b');
		await stack.sql(`select realtime.send(jsonb_build_object('text', $1::text), 'said', 'room-a', false)`, [
			'xin chào'
		]);
		await waitFor(() => room.got.length === 1);
		expect(room.got[0]).toEqual({
			type: 'broadcast',
			event: 'said',
			payload: { text: 'xin chào', id: room.got[0].meta!.id },
			meta: { id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown }
		});
		await sleep(200);
		expect(elsewhere.got).toEqual([]);
	});

	it('keeps public and private topics of the same name apart', async () => {
		const room = await listen(newClient(), 'same-name');
		// A private send goes to private subscribers only (hosted keeps them apart the same way).
		await stack.sql(`select realtime.send('{"secret":true}'::jsonb, 'x', 'same-name', true)`);
		await stack.sql(`select realtime.send('{"secret":false}'::jsonb, 'x', 'same-name', false)`);
		await waitFor(() => room.got.length >= 1);
		await sleep(200);
		expect(room.got.map((m) => m.payload.secret)).toEqual([false]);
	});

	it('delivers database messages in order, large ones included, and never rolled-back ones', async () => {
		const room = await listen(newClient(), 'ordered');
		const big = 'ខ'.repeat(20_000); // ~60 KB: too big for NOTIFY, read back by id
		await stack.sql(`select realtime.send(jsonb_build_object('n', 1), 'm', 'ordered', false)`);
		await stack.sql(
			`select realtime.send(jsonb_build_object('n', 2, 'big', $1::text), 'm', 'ordered', false)`,
			[big]
		);
		await expect(
			stack.sql(
				`do $$ begin perform realtime.send(jsonb_build_object('n', 99), 'm', 'ordered', false); raise exception 'undo'; end $$`
			)
		).rejects.toThrow();
		await stack.sql(`select realtime.send(jsonb_build_object('n', 3), 'm', 'ordered', false)`);
		await waitFor(() => room.got.length === 3);
		await sleep(200);
		expect(room.got.map((m) => m.payload.n)).toEqual([1, 2, 3]);
		expect(room.got[1].payload.big).toBe(big);
	});

	it('broadcasts row changes from a trigger (on the private topic) when a signed-in user inserts through the REST API', async () => {
		const reader = await signedInUser(stack);
		clients.push(reader.client);
		const watcher = await listen(reader.client, 'notes:garden', {
			private: true
		});
		const publicWatcher = await listen(newClient(), 'notes:garden');
		const author = await signedInUser(stack);
		clients.push(author.client);
		const { error } = await author.client.from('rt_notes').insert({ room: 'garden', body: 'seeds are in' });
		expect(error).toBeNull();
		await waitFor(() => watcher.got.length === 1);
		expect(watcher.got[0]).toMatchObject({
			type: 'broadcast',
			event: 'INSERT',
			payload: {
				operation: 'INSERT',
				table: 'rt_notes',
				schema: 'public',
				record: { room: 'garden', body: 'seeds are in', id: expect.any(Number) as unknown },
				old_record: null
			}
		});
		expect(publicWatcher.got).toEqual([]);
	});

	it('drops a send refused by RLS as hosted does: the statement goes on, nothing is broadcast', async () => {
		const room = await listen(newClient(), 'refused');
		const author = await signedInUser(stack);
		clients.push(author.client);
		// No INSERT policy on realtime.messages and an invoker-rights caller: refused, with a warning only.
		const { error } = await author.client.rpc('rt_send_as_caller', {
			topic: 'refused'
		});
		expect(error).toBeNull();
		await stack.sql(`select realtime.send('{"x":2}'::jsonb, 'x', 'refused', false)`);
		await waitFor(() => room.got.length === 1);
		await sleep(200);
		expect(room.got.map((m) => m.payload.x)).toEqual([2]);
	});
});
