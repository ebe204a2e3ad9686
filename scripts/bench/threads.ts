// `npm run bench:threads`: a space with 10,000 threads and 100,000 posts in a
// fresh in-memory local stack; p50/p95 of the app's own queries as a signed-in
// member over HTTP (RLS applies) for the thread list (first and a later keyset
// page), a thread with 200 replies, and search (Vietnamese without accents,
// Khmer substring); then the query plans. Bounded: ~50 runs per query.
import { startStack } from '../../supabase/local/stack';
import { signedInUser } from '../../tests/integration/helpers/stack';
import { openSpaceHome, threadWithPosts, searchSpace } from '../../src/lib/threads/queries';
import type { ThreadCursor } from '../../src/lib/threads/cursor';
import type { Client } from '../../src/lib/supabase/types';

/** The space's home page (its header, a page of threads and its meetings in one call). */
async function threadList(client: Client, spaceId: string, after: ThreadCursor | null) {
	const home = await openSpaceHome(client, spaceId, after);
	if (!home) throw new Error('not a member of the space');
	return home;
}

const THREADS = Number(process.env.BENCH_THREADS ?? 10_000);
const POSTS = Number(process.env.BENCH_POSTS ?? 100_000);
const RUNS = 50;
const step = (label: string, t0: number) =>
	console.log(`  ${label}: ${((Date.now() - t0) / 1000).toFixed(1)}s`);

const stack = await startStack({ port: 0, dataDir: null, seed: false, log: () => undefined });
const me = await signedInUser(stack, 'Bench Facilitator');
const spaceId = crypto.randomUUID();
await me.client.from('spaces').insert({ id: spaceId, name: 'Bench', objective: 'x', created_by: me.id });

const seedStart = Date.now();
// Bulk load as the owner with the per-row triggers and the search indexes off
// (rebuilt once at the end, as any bulk import would), counters set in one pass.
console.log(`Seeding ${THREADS} threads and ${POSTS} posts…`);
await stack.sql('alter table public.posts disable trigger user');
await stack.sql('drop index public.threads_title_search_idx');
await stack.sql('drop index public.posts_body_search_idx');
let t0 = Date.now();
await stack.sql(
	`insert into public.threads (id, space_id, author_id, title, topic, created_at, last_activity_at)
	 select gen_random_uuid(), $1, $2,
	        -- 1 in 100 titles mentions social insurance, 1 in 100 is a Khmer proposal:
	        -- searches match a realistic handful, not a third of the space.
	        case i % 100 when 0 then 'Quyền lợi bảo hiểm xã hội, buổi ' || i
	                     when 1 then 'ការរៀបចំសំណើគម្រោង លេខ ' || i
	                     else (array['Hỏi về hợp đồng lao động số ', 'Lịch họp câu lạc bộ tháng ', 'Chia sẻ kinh nghiệm đi khám sức khoẻ ', 'ការប្រជុំក្រុមលើកទី '])[1 + i % 4] || i end,
	        (array['labour_law','health','social_protection','club_life','proposals','other'])[1 + i % 6]::public.thread_topic,
	        now() - (i || ' minutes')::interval, now() - (i || ' minutes')::interval
	   from generate_series(1, ${THREADS}) i`,
	[spaceId, me.id]
);
await stack.sql(
	`with t as (select id, row_number() over (order by created_at) - 1 as n from public.threads where space_id = $1)
	 insert into public.posts (thread_id, space_id, author_id, is_opening, body, created_at)
	 select t.id, $1, $2, true, 'Nội dung mở đầu: đường đi làm, giờ làm thêm, lương tháng ' || t.n, now() - (t.n || ' minutes')::interval
	   from t`,
	[spaceId, me.id]
);
step('threads + opening posts', t0);
t0 = Date.now();
// The rest of the posts: 200 in the first thread, the others spread over the rest.
const [{ id: bigThread }] = await stack.sql<{ id: string }>(
	'select id from public.threads where space_id = $1 order by last_activity_at desc limit 1',
	[spaceId]
);
await stack.sql(
	`insert into public.posts (thread_id, space_id, author_id, body, created_at)
	 select $3, $1, $2, 'Trả lời số ' || i || ': chị em mình cùng hỏi công đoàn nhé', now() - interval '1 day' + (i || ' seconds')::interval
	   from generate_series(1, 200) i`,
	[spaceId, me.id, bigThread]
);
await stack.sql(
	`create temporary table numbered as
	   select id, (row_number() over (order by id))::int as n from public.threads where space_id = $1 and id <> $2`,
	[spaceId, bigThread]
);
await stack.sql('alter table numbered add primary key (n)');
await stack.sql(
	`insert into public.posts (thread_id, space_id, author_id, body, created_at)
	 select t.id, $1, $2, case when i % 500 = 0 then 'ខ្ញុំយល់ស្របនឹងសំណើនេះ ' || i
	                           when i % 2 = 0 then 'ខ្ញុំនឹងមកប្រជុំ ' || i
	                           else 'Cảm ơn chị, em sẽ đến buổi họp ' || i end,
	        now() - ((i % 5000) || ' minutes')::interval
	   from generate_series(1, ${POSTS - THREADS - 200}) i join numbered t on t.n = 1 + (i % (${THREADS} - 1))`,
	[spaceId, me.id]
);
await stack.sql('drop table numbered');
step('replies', t0);
t0 = Date.now();
await stack.sql('alter table public.posts enable trigger user');
await stack.sql(
	'create index threads_title_search_idx on public.threads using gin (public.search_text(title) extensions.gin_trgm_ops)'
);
await stack.sql(
	'create index posts_body_search_idx on public.posts using gin (public.search_text(body) extensions.gin_trgm_ops)'
);
step('search indexes', t0);
await stack.sql(
	`update public.threads t set reply_count = c.n
	   from (select thread_id, count(*) filter (where not is_opening) as n from public.posts group by thread_id) c
	  where c.thread_id = t.id`
);
step('counters', t0);
await stack.sql('analyze');
const [{ threads, posts }] = await stack.sql<{ threads: number; posts: number }>(
	'select (select count(*)::int from public.threads) threads, (select count(*)::int from public.posts) posts'
);
const seedSeconds = ((Date.now() - seedStart) / 1000).toFixed(1);

async function time(label: string, run: () => Promise<unknown>) {
	for (let i = 0; i < 3; i++) await run();
	const samples: number[] = [];
	for (let i = 0; i < RUNS; i++) {
		const t0 = performance.now();
		await run();
		samples.push(performance.now() - t0);
	}
	samples.sort((a, b) => a - b);
	const pct = (p: number) =>
		samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))].toFixed(1);
	return `${label.padEnd(44)} p50 ${pct(50).padStart(7)} ms   p95 ${pct(95).padStart(7)} ms   max ${samples.at(-1)!.toFixed(1).padStart(7)} ms`;
}

// After minutes of seeding the client's kept-alive socket may have been closed
// by the server while PGlite held its event loop: the first call may fail once.
const firstPage = await threadList(me.client, spaceId, null).catch(() =>
	threadList(me.client, spaceId, null)
);
let later = firstPage.next;
for (let i = 0; i < 20 && later; i++) {
	later = (await threadList(me.client, spaceId, later)).next;
}
const big = await threadWithPosts(me.client, bigThread, me.id);

const matches = async (q: string) => (await searchSpace(me.client, spaceId, q)).length;
console.log(
	`  search results (capped at 30): "bao hiem xa hoi" ${await matches('bao hiem xa hoi')}, "សំណើ" ${await matches('សំណើ')}`
);
const rows = [
	await time('space home: header, 30 threads, meetings', () => threadList(me.client, spaceId, null)),
	await time('space home: page 21 of threads (keyset)', () => threadList(me.client, spaceId, later)),
	await time(`thread page, ${big!.posts.length - 1} replies + authors + reactions`, () =>
		threadWithPosts(me.client, bigThread, me.id)
	),
	await time('search "bao hiem xa hoi" (Vietnamese, no accents)', () =>
		searchSpace(me.client, spaceId, 'bao hiem xa hoi')
	),
	await time('search "សំណើ" (Khmer substring)', () => searchSpace(me.client, spaceId, 'សំណើ'))
];

console.log(`\nSeeded ${threads} threads and ${posts} posts in ${seedSeconds}s (PGlite in memory).`);
console.log(`Server time per page load through supabase-js over HTTP, ${RUNS} runs each after 3 warm-ups:\n`);
for (const row of rows) console.log('  ' + row);

// Plans of the main queries, run as the owner (the timings above include RLS).
async function plan(label: string, query: string, params: unknown[]) {
	const out = await stack.sql<{ 'QUERY PLAN': string }>(
		`explain (analyze, costs off, timing off, summary on) ${query}`,
		params
	);
	const lines = out.map((r) => r['QUERY PLAN']);
	const indexes = [
		...new Set(
			lines.join('\n').match(/(?:Index|Bitmap Index) (?:Only )?Scan (?:Backward )?(?:using|on) \w+/g) ?? []
		)
	];
	console.log(
		`\n${label}\n  indexes: ${indexes.join(', ') || 'none'}\n  ${lines
			.filter((l) => /Scan|Execution Time|Sort|Limit/.test(l))
			.slice(0, 8)
			.join('\n  ')}`
	);
}
await plan(
	'PLAN thread list (first page):',
	`select id from public.threads where space_id = $1 and deleted_at is null order by pinned desc, last_activity_at desc, id desc limit 31`,
	[spaceId]
);
await plan(
	'PLAN thread page posts:',
	`select id from public.posts where thread_id = $1 order by created_at, id limit 1000`,
	[bigThread]
);
await plan(
	'PLAN search (the query inside search_space, which runs as its owner):',
	`select p.id from public.posts p where p.space_id = $1 and p.deleted_at is null
	    and public.search_text(p.body) like public.search_pattern($2) order by p.created_at desc limit 30`,
	[spaceId, 'bao hiem xa hoi']
);
await stack.stop();
