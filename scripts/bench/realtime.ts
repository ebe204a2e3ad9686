// `npm run bench:realtime`: delivery latency of live updates on the local stack.
// A fresh in-memory stack runs in a child process (so its memory is measured on
// its own). It makes 11 spaces with a thread each and 400 members; this process
// connects 200 realtime-js subscribers to one space's private channel
// (`space:<id>`, authorized by RLS on realtime.messages) and 20 to each of the
// 10 others (one socket each, as separate phones would), then a member posts
// replies through the REST API at a steady rate. The app's own trigger
// (migration 20261122000400_realtime_channels) announces each post. Prints
// latency p50/p95/p99 from the insert request to receipt and from the commit
// (the stack's NOTIFY, heard in its process) to receipt, messages lost, and the
// server's memory before and after. Bounded: RATE × SECONDS inserts, loopback only.
// Settings: BENCH_RATE (posts/s, default 20), BENCH_SECONDS (default 20),
// DATABASE_URL (the stack on that Postgres, fresh or migrated), BENCH_AUTH_TTL_MS
// (how long a reader's RLS decision is reused, default 3000).
import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createHmac, randomUUID } from 'node:crypto';
import { createClient, RealtimeClient, type RealtimeChannel } from '@supabase/supabase-js';
import ws from 'ws';

const RATE = Number(process.env.BENCH_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const SPACES = [200, ...Array.from({ length: 10 }, () => 20)]; // subscribers per space

type Memory = { rss: number; heapUsed: number; stats: Record<string, number> };
type BenchSpace = { spaceId: string; threadId: string; subscriberTokens: string[] };
type FromServer =
	| { type: 'ready'; url: string; publishableKey: string; token: string; spaces: BenchSpace[] }
	| ({ type: 'memory' } & Memory)
	| { type: 'commits'; at: Record<string, number> };

if (process.argv.includes('--server')) await serve();
else await bench();

/** The child: the local stack with spaces, threads and members made for the bench. */
async function serve(): Promise<void> {
	const { startStack } = await import('../../supabase/local/stack');
	const { signedInUser } = await import('../../tests/integration/helpers/stack');
	const stack = await startStack({
		port: 0,
		dataDir: null,
		seed: false,
		log: () => undefined,
		databaseUrl: process.env.DATABASE_URL || undefined,
		// How long a reader's RLS decision is reused (default 3 s): a knob to see what the re-checks cost.
		realtime: process.env.BENCH_AUTH_TTL_MS ? { authTtlMs: Number(process.env.BENCH_AUTH_TTL_MS) } : {}
	});
	const poster = await signedInUser(stack, 'Bench Poster');
	const { data } = await poster.client.auth.getSession();
	const spaces: BenchSpace[] = [];
	for (const [index, subscribers] of SPACES.entries()) {
		const spaceId = randomUUID();
		const threadId = randomUUID();
		const created = await poster.client
			.from('spaces')
			.insert({ id: spaceId, name: `Bench space ${index}`, created_by: poster.id });
		if (created.error) throw created.error;
		const started = await poster.client.rpc('start_thread', {
			p_space: spaceId,
			p_title: 'Bench thread',
			p_body: 'Bắt đầu',
			p_topic: 'other',
			p_id: threadId
		});
		if (started.error) throw started.error;
		// Members straight into the database (signing up 400 people would take minutes);
		// each gets a token signed with the stack's JWT secret, as the auth server would.
		const ids = Array.from({ length: subscribers }, () => randomUUID());
		await stack.sql(
			`insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
			 select id, 'authenticated', 'authenticated', id::text || '@bench.test', '{}'::jsonb, '{}'::jsonb, now(), now()
			   from unnest($1::uuid[]) as id`,
			[ids]
		);
		await stack.sql(
			`insert into public.space_members (space_id, user_id, role) select $1::uuid, id, 'member' from unnest($2::uuid[]) as id`,
			[spaceId, ids]
		);
		spaces.push({ spaceId, threadId, subscriberTokens: ids.map((id) => jwt(stack.jwtSecret, id)) });
	}
	// When each post's announcement was committed: the stack's own NOTIFY (sent at
	// commit) heard here too, on the same clock as the subscribers' receipts.
	const committedAt: Record<string, number> = {};
	await stack.gate.listen('realtime_local_messages', (raw) => {
		const note = JSON.parse(raw) as { event?: string; payload?: { post_id?: string } };
		if (note.event === 'posts' && note.payload?.post_id) committedAt[note.payload.post_id] ??= now();
	});
	const send = (message: FromServer) => process.send!(message);
	const onMessage = async (message: { type: string }) => {
		if (message.type === 'commits') {
			send({ type: 'commits', at: committedAt });
		} else if (message.type === 'memory') {
			(globalThis as { gc?: () => void }).gc?.();
			const { rss, heapUsed } = process.memoryUsage();
			send({ type: 'memory', rss, heapUsed, stats: { ...stack.realtime.stats() } });
		} else if (message.type === 'stop') {
			await stack.stop();
			process.exit(0);
		}
	};
	process.on('message', (message: { type: string }) => void onMessage(message));
	// If the bench process dies, do not outlive it.
	process.on('disconnect', () => void stack.stop().finally(() => process.exit(1)));
	send({
		type: 'ready',
		url: stack.url,
		publishableKey: stack.publishableKey,
		token: data.session!.access_token,
		spaces
	});
}

async function bench(): Promise<void> {
	const server = fork(process.argv[1], ['--server'], { execArgv: [...process.execArgv, '--expose-gc'] });
	process.on('exit', () => server.kill());
	const ask = request(server);
	const ready = await ask<Extract<FromServer, { type: 'ready' }>>('ready');
	const memory = async (label: string) => ({ label, ...(await ask<Memory>('memory')) });
	const memories = [await memory('before subscribers')];

	// Subscribers: one realtime-js client (one socket) each, as separate browsers would be.
	const latencies: number[] = [];
	const received = new Map<string, number>(); // post id -> deliveries
	const receipts: { id: string; at: number }[] = [];
	const sentAt = new Map<string, number>();
	const subscribers: { client: RealtimeClient; channel: RealtimeChannel }[] = [];
	const endpoint = `${ready.url.replace('http', 'ws')}/realtime/v1`;
	const wanted = ready.spaces.flatMap(({ spaceId, subscriberTokens }) =>
		subscriberTokens.map((token) => ({ topic: `space:${spaceId}`, token }))
	);
	console.log(`Connecting ${wanted.length} subscribers to ${ready.spaces.length} private space channels…`);
	for (let i = 0; i < wanted.length; i += 50) {
		await Promise.all(
			wanted.slice(i, i + 50).map(async ({ topic, token }) => {
				const client = new RealtimeClient(endpoint, {
					params: { apikey: ready.publishableKey },
					transport: ws as never
				});
				await client.setAuth(token);
				const channel = client
					.channel(topic, { config: { private: true } })
					.on('broadcast', { event: 'posts' }, ({ payload }) => {
						const id = (payload as { post_id: string }).post_id;
						const at = sentAt.get(id);
						if (at !== undefined) latencies.push(now() - at);
						receipts.push({ id, at: now() });
						received.set(id, (received.get(id) ?? 0) + 1);
					});
				await new Promise<void>((resolve, reject) =>
					channel.subscribe((status, error) =>
						status === 'SUBSCRIBED' ? resolve() : status !== 'CLOSED' && reject(error ?? new Error(status))
					)
				);
				subscribers.push({ client, channel });
			})
		);
	}
	memories.push(await memory('subscribers connected'));

	// Steady replies through the REST API, alternating the big space and the small ones.
	const poster = createClient(ready.url, ready.publishableKey, {
		accessToken: () => Promise.resolve(ready.token),
		realtime: { transport: ws as never }
	});
	const total = Math.round(RATE * SECONDS);
	const expected = new Map<string, number>();
	const insertTimes: number[] = [];
	const failures: string[] = [];
	const inserts: Promise<void>[] = [];
	console.log(`Posting ${total} replies at ${RATE}/s for ${SECONDS}s…`);
	const start = now();
	for (let i = 0; i < total; i++) {
		await sleep(start + (i * 1000) / RATE - now());
		const index = i % 2 === 0 ? 0 : 1 + (((i - 1) / 2) % 10);
		const target = ready.spaces[index];
		inserts.push(
			(async () => {
				const id = randomUUID();
				const at = now();
				sentAt.set(id, at);
				const { error } = await poster
					.from('posts')
					.insert({ id, thread_id: target.threadId, space_id: target.spaceId, body: `Bài viết số ${i}` });
				insertTimes.push(now() - at);
				if (error) failures.push(error.message);
				else expected.set(id, target.subscriberTokens.length);
			})()
		);
	}
	await Promise.all(inserts);
	const expectedTotal = [...expected.values()].reduce((a, b) => a + b, 0);
	const deadline = now() + 10_000;
	while (latencies.length < expectedTotal && now() < deadline) await sleep(50);
	memories.push(await memory('after the run'));

	const { at: committedAt } = await ask<{ at: Record<string, number> }>('commits');
	const fromCommit = receipts.flatMap(({ id, at }) =>
		committedAt[id] === undefined ? [] : [at - committedAt[id]]
	);

	let lost = 0;
	let extra = 0;
	for (const [id, n] of expected) {
		const got = received.get(id) ?? 0;
		lost += Math.max(0, n - got);
		extra += Math.max(0, got - n);
	}

	await Promise.all(subscribers.map(({ client }) => client.removeAllChannels()));
	await Promise.all(subscribers.map(({ client }) => client.disconnect()));
	for (let i = 0; i < 100 && (await ask<Memory>('memory')).stats.sockets > 0; i++) await sleep(100);
	memories.push(await memory('subscribers gone'));

	const ms = (v: number) => `${v.toFixed(1)} ms`;
	const mb = (v: number) => `${(v / 1024 / 1024).toFixed(1)} MB`;
	console.log('');
	console.log(
		`inserts: ${total} (${failures.length} failed${failures[0] ? `: ${failures[0]}` : ''}), REST insert p50 ${ms(pct(insertTimes, 0.5))}, p95 ${ms(pct(insertTimes, 0.95))}`
	);
	console.log(`deliveries: ${latencies.length} of ${expectedTotal} expected`);
	console.log(
		`latency insert -> receipt: p50 ${ms(pct(latencies, 0.5))}, p95 ${ms(pct(latencies, 0.95))}, p99 ${ms(pct(latencies, 0.99))}, max ${ms(Math.max(...latencies))}`
	);
	console.log(
		`latency commit -> receipt: p50 ${ms(pct(fromCommit, 0.5))}, p95 ${ms(pct(fromCommit, 0.95))}, p99 ${ms(pct(fromCommit, 0.99))}, max ${ms(Math.max(...fromCommit))}`
	);
	console.log(`messages lost: ${lost}${extra ? `, duplicated: ${extra}` : ''}`);
	console.log('server memory (after GC):');
	for (const m of memories) {
		console.log(
			`  ${m.label.padEnd(22)} rss ${mb(m.rss).padStart(9)}  heap ${mb(m.heapUsed).padStart(8)}  ${JSON.stringify(m.stats)}`
		);
	}
	server.send({ type: 'stop' });
	await new Promise((resolve) => server.once('exit', resolve));
	process.exit(lost === 0 && failures.length === 0 ? 0 : 1);
}

/** Ask the server process something and wait for its answer of the same type. */
function request(child: ChildProcess) {
	return <T>(type: string): Promise<T> =>
		new Promise((resolve, reject) => {
			const onMessage = (message: FromServer) => {
				if (message.type !== type) return;
				child.off('message', onMessage);
				child.off('exit', onExit);
				resolve(message as T);
			};
			const onExit = (code: number) => reject(new Error(`the server process exited (${code})`));
			child.on('message', onMessage);
			child.once('exit', onExit);
			if (type !== 'ready') child.send({ type });
		});
}

/** An access token for a bench member, signed like the auth server's (HS256). */
function jwt(secret: string, sub: string): string {
	const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const seconds = Math.floor(Date.now() / 1000);
	const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub, role: 'authenticated', aud: 'authenticated', iat: seconds, exp: seconds + 3600 })}`;
	return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

function now(): number {
	return performance.timeOrigin + performance.now();
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

function pct(values: number[], p: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}
