// `npm run bench:realtime`: delivery latency of the local Realtime server.
// A fresh in-memory stack runs in a child process (so its memory is measured on
// its own); this process connects 200 realtime-js subscribers to one channel and
// 20 to each of 10 more (public broadcast channels, one socket each), then
// inserts rows through the REST API as a signed-in user at a steady rate. A
// trigger calls realtime.send for each row, as the app's triggers will. Prints
// insert-to-receipt latency p50/p95/p99, messages lost, and the server's memory
// before and after. Bounded: RATE × SECONDS inserts, loopback only.
// Settings: BENCH_RATE (inserts/s, default 20), BENCH_SECONDS (default 20).
import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createClient, RealtimeClient, type RealtimeChannel } from '@supabase/supabase-js';
import ws from 'ws';

const RATE = Number(process.env.BENCH_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const TOPICS = [
	{ topic: 'bench:big', subscribers: 200 },
	...Array.from({ length: 10 }, (_, i) => ({ topic: `bench:small-${i}`, subscribers: 20 }))
];

type Memory = { rss: number; heapUsed: number; stats: Record<string, number> };
type FromServer =
	{ type: 'ready'; url: string; publishableKey: string; token: string } | ({ type: 'memory' } & Memory);

if (process.argv.includes('--server')) await serve();
else await bench();

/** The child: the local stack with a table whose inserts are broadcast by a trigger. */
async function serve(): Promise<void> {
	const { startStack } = await import('../supabase/local/stack');
	const { signedInUser } = await import('../tests/integration/helpers/stack');
	const stack = await startStack({ port: 0, dataDir: null, seed: false, log: () => undefined });
	await stack.sql(`create table public.bench_posts (id bigint generated always as identity primary key,
	                   topic text not null, body text not null, sent_at double precision not null)`);
	await stack.sql(`alter table public.bench_posts enable row level security`);
	await stack.sql(
		`create policy bench_insert on public.bench_posts for insert to authenticated with check (true)`
	);
	await stack.sql(
		`create policy bench_select on public.bench_posts for select to authenticated using (true)`
	);
	await stack.sql(`create function public.bench_posts_broadcast() returns trigger
	                   language plpgsql security definer set search_path = '' as $$
	                 begin
	                   perform realtime.send(jsonb_build_object('id', new.id, 'sent_at', new.sent_at, 'body', new.body),
	                                         'post', new.topic, false);
	                   return null;
	                 end $$`);
	await stack.sql(`create trigger bench_posts_broadcast after insert on public.bench_posts
	                   for each row execute function public.bench_posts_broadcast()`);
	await stack.connection.clearSchemaCache();
	const poster = await signedInUser(stack, 'Bench Poster');
	const { data } = await poster.client.auth.getSession();
	const send = (message: FromServer) => process.send!(message);
	process.on('message', async (message: { type: string }) => {
		if (message.type === 'memory') {
			(globalThis as { gc?: () => void }).gc?.();
			const { rss, heapUsed } = process.memoryUsage();
			send({ type: 'memory', rss, heapUsed, stats: { ...stack.realtime.stats() } });
		} else if (message.type === 'stop') {
			await stack.stop();
			process.exit(0);
		}
	});
	// If the bench process dies, do not outlive it.
	process.on('disconnect', () => void stack.stop().finally(() => process.exit(1)));
	send({
		type: 'ready',
		url: stack.url,
		publishableKey: stack.publishableKey,
		token: data.session!.access_token
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
	const received = new Map<number, number>(); // post id -> deliveries
	const subscribers: { client: RealtimeClient; channel: RealtimeChannel }[] = [];
	const endpoint = `${ready.url.replace('http', 'ws')}/realtime/v1`;
	console.log(
		`Connecting ${TOPICS.reduce((n, t) => n + t.subscribers, 0)} subscribers to ${TOPICS.length} channels…`
	);
	const wanted = TOPICS.flatMap(({ topic, subscribers: n }) => Array.from({ length: n }, () => topic));
	for (let i = 0; i < wanted.length; i += 50) {
		await Promise.all(
			wanted.slice(i, i + 50).map(async (topic) => {
				const client = new RealtimeClient(endpoint, {
					params: { apikey: ready.publishableKey },
					transport: ws as never
				});
				const channel = client.channel(topic).on('broadcast', { event: 'post' }, ({ payload }) => {
					latencies.push(now() - (payload.sent_at as number));
					received.set(payload.id as number, (received.get(payload.id as number) ?? 0) + 1);
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

	// Steady inserts through the REST API, alternating the big channel and the small ones.
	const poster = createClient(ready.url, ready.publishableKey, {
		accessToken: async () => ready.token,
		realtime: { transport: ws as never }
	});
	const total = Math.round(RATE * SECONDS);
	const expected = new Map<number, number>();
	const insertTimes: number[] = [];
	const failures: string[] = [];
	const inserts: Promise<void>[] = [];
	console.log(`Inserting ${total} rows at ${RATE}/s for ${SECONDS}s…`);
	const start = now();
	for (let i = 0; i < total; i++) {
		await sleep(start + (i * 1000) / RATE - now());
		const target = i % 2 === 0 ? TOPICS[0] : TOPICS[1 + (((i - 1) / 2) % 10)];
		inserts.push(
			(async () => {
				const sentAt = now();
				const { data, error } = await poster
					.from('bench_posts')
					.insert({ topic: target.topic, body: `Bài viết số ${i}`, sent_at: sentAt })
					.select('id')
					.single();
				insertTimes.push(now() - sentAt);
				if (error || !data) failures.push(error?.message ?? 'no row');
				else expected.set((data as { id: number }).id, target.subscribers);
			})()
		);
	}
	await Promise.all(inserts);
	const expectedTotal = [...expected.values()].reduce((a, b) => a + b, 0);
	const deadline = now() + 10_000;
	while (latencies.length < expectedTotal && now() < deadline) await sleep(50);
	memories.push(await memory('after the run'));

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
