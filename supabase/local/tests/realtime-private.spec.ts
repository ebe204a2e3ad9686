// Private channels authorized like hosted Supabase: RLS on realtime.messages
// (SELECT to receive, INSERT to send), JWTs checked at join and on refresh, and
// access that ends (token expiry, revoked membership) closing the channel.
import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
	createClient,
	RealtimeClient,
	type RealtimeChannel,
	type SupabaseClient
} from '@supabase/supabase-js';
import ws from 'ws';
import { anonClient, signedInUser, startTestStack, type Person, type TestStack } from './helpers';

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

function sign(secret: string, claims: Record<string, unknown>, alg = 'HS256'): string {
	const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const body = `${part({ alg, typ: 'JWT' })}.${part(claims)}`;
	return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

type Received = {
	event: string;
	payload: Record<string, unknown>;
	meta?: { replayed?: boolean; id: string };
};

describe('realtime private channels', () => {
	let stack: TestStack;
	let owner: Person; // has a room of their own, member of nothing
	let member: Person; // member of room:team, may not send
	let sender: Person; // member of room:team, may send
	let outsider: Person;
	const clients: SupabaseClient[] = [];
	const realtimeClients: RealtimeClient[] = [];

	const now = () => Math.floor(Date.now() / 1000);
	const tokenFor = (person: Person, expiresIn = 3600) =>
		sign(stack.jwtSecret, {
			sub: person.id,
			role: 'authenticated',
			aud: 'authenticated',
			iat: now(),
			exp: now() + expiresIn
		});

	/** A bare realtime-js client using exactly the token given (supabase-js would swap in its session's). */
	const bareClient = async (token: string) => {
		const client = new RealtimeClient(`${stack.url.replace('http', 'ws')}/realtime/v1`, {
			params: { apikey: stack.publishableKey },
			transport: ws as never
		});
		await client.setAuth(token);
		realtimeClients.push(client);
		return client;
	};

	/** Subscribes a private channel and records broadcasts, system messages and its last status. */
	const listen = async (
		client: SupabaseClient | RealtimeClient,
		topic: string,
		config: Record<string, unknown> = {}
	) => {
		const got: Received[] = [];
		const system: { status: string; message: string }[] = [];
		const state = { status: '' };
		const channel = client
			.channel(topic, { config: { private: true, ...config } })
			.on('broadcast', { event: '*' }, (m) => got.push(m as unknown as Received))
			.on('system', {}, (m: { status: string; message: string }) => system.push(m));
		await new Promise<void>((resolve, reject) =>
			channel.subscribe((status, error) => {
				state.status = status;
				if (status === 'SUBSCRIBED') resolve();
				else if (status !== 'CLOSED') reject(error ?? new Error(status));
			})
		);
		return { channel, got, system, state };
	};

	const send = (topic: string, payload: object) =>
		stack.sql(`select realtime.send($1::jsonb, 'note', $2, true)`, [JSON.stringify(payload), topic]);

	beforeAll(async () => {
		stack = await startTestStack();
		[owner, member, sender, outsider] = await Promise.all([
			signedInUser(stack, 'Owner'),
			signedInUser(stack, 'Member'),
			signedInUser(stack, 'Sender'),
			signedInUser(stack, 'Outsider')
		]);
		clients.push(...[owner, member, sender, outsider].map((p) => p.client));
		await stack.sql(`
			create table public.rt_members (room text not null, user_id uuid not null, can_send boolean not null default false,
			                                primary key (room, user_id))`);
		// Read: your own room:<uid>, or a room you are a member of. Write: rooms where you may send.
		await stack.sql(`
			create policy rt_read on realtime.messages for select to authenticated using (
			  realtime.topic() = 'room:' || (select auth.uid())::text
			  or exists (select 1 from public.rt_members m where m.room = realtime.topic() and m.user_id = (select auth.uid())))`);
		await stack.sql(`
			create policy rt_write on realtime.messages for insert to authenticated with check (
			  exists (select 1 from public.rt_members m
			          where m.room = realtime.topic() and m.user_id = (select auth.uid()) and m.can_send))`);
		await stack.sql(
			`insert into public.rt_members values ('room:team', $1, false), ('room:team', $2, true)`,
			[member.id, sender.id]
		);
	});
	afterEach(async () => {
		for (const client of realtimeClients.splice(0)) {
			await client.removeAllChannels();
		}
		await Promise.all(clients.map((c) => c.removeAllChannels()));
	});
	afterAll(async () => {
		await stack.stop();
	});

	it('lets a user join their own room and refuses everyone else, as RLS says', async () => {
		const own = await listen(owner.client, `room:${owner.id}`);
		expect(own.state.status).toBe('SUBSCRIBED');
		await expect(listen(outsider.client, `room:${owner.id}`)).rejects.toThrow(
			`Unauthorized: You do not have permissions to read from this Channel topic: room:${owner.id}`
		);
		const anon = anonClient(stack);
		clients.push(anon);
		await expect(listen(anon, `room:${owner.id}`)).rejects.toThrow('Unauthorized');
		// The secret key stands for service_role, which bypasses RLS.
		const admin = createClient(stack.url, stack.secretKey, {
			auth: { persistSession: false, autoRefreshToken: false },
			realtime: { transport: ws as never }
		});
		clients.push(admin);
		expect((await listen(admin, `room:${owner.id}`)).state.status).toBe('SUBSCRIBED');
	});

	it('delivers private database messages to authorized members only', async () => {
		const m = await listen(member.client, 'room:team');
		const s = await listen(sender.client, 'room:team');
		const anon = anonClient(stack);
		clients.push(anon);
		const publicGot: unknown[] = [];
		await subscribed(anon.channel('room:team').on('broadcast', { event: '*' }, (x) => publicGot.push(x)));
		await send('room:team', { n: 1 });
		await waitFor(() => m.got.length === 1 && s.got.length === 1);
		expect(m.got[0]).toMatchObject({ event: 'note', payload: { n: 1 } });
		await sleep(200);
		expect(publicGot).toEqual([]);
	});

	it('lets only members with an INSERT policy send broadcasts and track presence', async () => {
		const m = await listen(member.client, 'room:team', {
			broadcast: { ack: true }
		});
		const s = await listen(sender.client, 'room:team', {
			broadcast: { ack: true }
		});
		// Hosted drops a refused broadcast without a reply, so an acked send times out.
		expect(
			await m.channel.send(
				{ type: 'broadcast', event: 'typing', payload: { who: 'member' } },
				{ timeout: 700 }
			)
		).toBe('timed out');
		expect(await s.channel.send({ type: 'broadcast', event: 'typing', payload: { who: 'sender' } })).toBe(
			'ok'
		);
		await waitFor(() => m.got.length === 1);
		await sleep(200);
		expect(m.got.map((x) => x.payload.who)).toEqual(['sender']);
		expect(s.got).toEqual([]);

		expect(await m.channel.track({ here: true })).toBe('error');
		expect(await s.channel.track({ here: true })).toBe('ok');
	});

	it('checks the token of every join: expired, forged and malformed tokens are refused', async () => {
		const expired = sign(stack.jwtSecret, { sub: owner.id, role: 'authenticated', exp: now() - 30 });
		await expect(listen(await bareClient(expired), `room:${owner.id}`)).rejects.toThrow(
			/^InvalidJWTToken: Token has expired \d+ seconds ago$/
		);
		// Public channels too.
		await expect(listen(await bareClient(expired), 'lobby', { private: false })).rejects.toThrow(
			'InvalidJWTToken'
		);
		const forged = sign('not-the-secret', { sub: owner.id, role: 'authenticated', exp: now() + 60 });
		await expect(listen(await bareClient(forged), `room:${owner.id}`)).rejects.toThrow(
			'JwtSignatureError: Failed to validate JWT signature'
		);
		await expect(listen(await bareClient('not.a-jwt'), `room:${owner.id}`)).rejects.toThrow(
			'MalformedJWT: The token provided is not a valid JWT'
		);
		const noExp = sign(stack.jwtSecret, { sub: owner.id, role: 'authenticated' });
		await expect(listen(await bareClient(noExp), `room:${owner.id}`)).rejects.toThrow(
			'InvalidJWTToken: Fields `role` and `exp` are required in JWT'
		);
		expect((await listen(await bareClient(tokenFor(owner)), `room:${owner.id}`)).state.status).toBe(
			'SUBSCRIBED'
		);
	});

	it('closes a channel when its token expires', async () => {
		const shortLived = await listen(await bareClient(tokenFor(owner, 2)), `room:${owner.id}`);
		await waitFor(() => shortLived.state.status === 'CLOSED', 5_000);
		expect(shortLived.system).toEqual([
			{
				extension: 'system',
				status: 'error',
				message: expect.stringMatching(/^Token has expired \d+ seconds ago$/) as unknown,
				channel: `room:${owner.id}`
			}
		]);
	});

	it('re-authorizes on token refresh (setAuth) and closes channels the new token may not read', async () => {
		const client = await bareClient(tokenFor(owner));
		const own = await listen(client, `room:${owner.id}`);
		const other = await bareClient(tokenFor(owner));
		const stays = await listen(other, `room:${owner.id}`);

		await other.setAuth(tokenFor(owner, 7200)); // a refreshed token of the same person: nothing changes
		await send(`room:${owner.id}`, { n: 1 });
		await waitFor(() => own.got.length === 1 && stays.got.length === 1);

		await client.setAuth(tokenFor(outsider)); // now someone else: may not read this room
		await waitFor(() => own.state.status === 'CLOSED');
		expect(own.system[0]).toEqual({
			extension: 'system',
			status: 'error',
			message: `You do not have permissions to read from this Channel topic: room:${owner.id}`,
			channel: `room:${owner.id}`
		});
		await send(`room:${owner.id}`, { n: 2 });
		await waitFor(() => stays.got.length === 2);
		expect(own.got).toHaveLength(1);

		const third = await bareClient(tokenFor(owner));
		const refreshedBadly = await listen(third, `room:${owner.id}`);
		await third.setAuth(sign(stack.jwtSecret, { sub: owner.id, role: 'authenticated', exp: now() - 5 }));
		await waitFor(() => refreshedBadly.state.status === 'CLOSED');
		expect(refreshedBadly.system[0].message).toMatch(/^Token has expired \d+ seconds ago$/);
	});

	it('stops a removed member within the re-check time (3 s): later messages are not delivered and the channel closes', async () => {
		await stack.sql(
			`insert into public.rt_members values ('room:leaving', $1, false), ('room:leaving', $2, false)`,
			[member.id, owner.id]
		);
		const staying = await listen(owner.client, 'room:leaving');
		const leaving = await listen(member.client, 'room:leaving');
		await send('room:leaving', { n: 1 });
		await waitFor(() => staying.got.length === 1 && leaving.got.length === 1);

		await stack.sql(`delete from public.rt_members where room = 'room:leaving' and user_id = $1`, [
			member.id
		]);
		await sleep(3_100); // decisions are reused for up to 3 s (authTtlMs)
		await send('room:leaving', { n: 2 });
		await waitFor(() => staying.got.length === 2 && leaving.state.status === 'CLOSED');
		expect(leaving.got.map((m) => m.payload.n)).toEqual([1]);
		expect(leaving.system[0].message).toBe(
			'You no longer have permission to read from this Channel topic: room:leaving'
		);
	});

	it('notices a removal without any traffic too (periodic re-check, or reauthorize())', async () => {
		await stack.sql(
			`insert into public.rt_members values ('room:quiet', $1, false), ('room:told', $1, false)`,
			[member.id]
		);
		const quiet = await listen(member.client, 'room:quiet');
		const told = await listen(member.client, 'room:told');
		await stack.sql(
			`delete from public.rt_members where room in ('room:quiet', 'room:told') and user_id = $1`,
			[member.id]
		);

		await stack.realtime.reauthorize('room:told');
		await waitFor(() => told.state.status === 'CLOSED', 1_000);
		expect(quiet.state.status).toBe('SUBSCRIBED');
		await waitFor(() => quiet.state.status === 'CLOSED', 8_000);
		expect(quiet.system[0].message).toBe(
			'You no longer have permission to read from this Channel topic: room:quiet'
		);
	});

	it('replays database messages since a time on join (meta.replayed), at most `limit` (1 to 25)', async () => {
		await stack.sql(
			`insert into public.rt_members values ('room:replay', $1, false), ('room:replay', $2, false)`,
			[member.id, sender.id]
		);
		const since = Date.now() - 2_000;
		// 1 and 2 in one transaction: the same inserted_at, so replay must keep their order otherwise.
		await stack.sql(`do $$ begin
			perform realtime.send('{"n":1}'::jsonb, 'note', 'room:replay', true);
			perform realtime.send('{"n":2}'::jsonb, 'note', 'room:replay', true);
		end $$`);
		await send('room:replay', { n: 3 });

		const all = await listen(member.client, 'room:replay', {
			broadcast: { replay: { since } }
		});
		await waitFor(() => all.got.length === 3);
		expect(all.got.map((m) => m.payload.n)).toEqual([1, 2, 3]);
		expect(all.got.every((m) => m.meta?.replayed === true && typeof m.meta.id === 'string')).toBe(true);

		const newest = await listen(sender.client, 'room:replay', {
			broadcast: { replay: { since, limit: 2 } }
		});
		await waitFor(() => newest.got.length === 2);
		// Live messages follow the replay, not replayed.
		await send('room:replay', { n: 4 });
		await waitFor(() => newest.got.length === 3);
		expect(newest.got.map((m) => [m.payload.n, m.meta?.replayed ?? false])).toEqual([
			[2, true],
			[3, true],
			[4, false]
		]);

		// Nothing from before `since`; nothing for those who may not read; a limit over 25 is refused.
		// (realtime-js itself refuses replay on public channels before asking.)
		const fresh = await listen(owner.client, `room:${owner.id}`, {
			broadcast: { replay: { since: Date.now() + 60_000 } }
		});
		await sleep(300);
		expect(fresh.got).toEqual([]);
		await expect(
			listen(outsider.client, 'room:replay', {
				broadcast: { replay: { since } }
			})
		).rejects.toThrow(/permissions to read/);
		await expect(
			listen(outsider.client, `room:${outsider.id}`, {
				broadcast: { replay: { since, limit: 26 } }
			})
		).rejects.toThrow(/UnableToReplayMessages/);
	});
});
