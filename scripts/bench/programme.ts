// `npm run bench:programme`: the programme figures at the network's scale, 50
// spaces, 5,000 members and 1,000,000 posts over twelve months, on a real
// PostgreSQL (PGlite holds a million posts poorly): a throwaway cluster as in
// scripts/lanes/postgres.ts, migrated and seeded with the demo data by the
// production server's stack, then bulk-loaded as the owner. Prints p50/p95 of
// programme_figures() as Anna (a programme officer) through supabase-js (the
// database's answer over HTTP), of the network page and of the biggest space's
// page from the production server (`npm run build` first), and the plan's
// execution time inside the database. BENCH_POSTS, BENCH_RUNS to change the size.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import ws from 'ws';
import { freePort } from '../free-port';
import { serveBuiltApp } from '../serve-built';
import type { Database } from '../../src/lib/supabase/database.types';

const SPACES = 50;
const MEMBERS = 5_000;
const POSTS = Number(process.env.BENCH_POSTS ?? 1_000_000);
const THREADS = Math.round(POSTS / 20);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const ANNA = { email: 'anna@sahakum.test', password: 'sahakum-demo' };
const log = (line: string) => console.log(`[bench:programme] ${line}`);

// ---------------------------------------------------------------- a cluster
const root = '/usr/lib/postgresql';
const version = existsSync(root)
	? readdirSync(root)
			.filter((v) => existsSync(join(root, v, 'bin/initdb')))
			.sort((a, b) => Number(b) - Number(a))[0]
	: undefined;
if (!version) {
	console.error('[bench:programme] needs PostgreSQL server binaries (Debian: apt-get install postgresql).');
	process.exit(1);
}
const bin = join(root, version, 'bin');
const isRoot = process.getuid?.() === 0;
const work = mkdtempSync(join(tmpdir(), 'sahakum-bench-pg-'));
const data = join(work, 'data');
if (isRoot) {
	execFileSync('chown', ['postgres:postgres', work]);
	chmodSync(work, 0o700);
}
function pg(program: string, args: string[]) {
	const command = join(bin, program);
	const [file, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
	const result = spawnSync(file, argv, { cwd: work, encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`${program} failed:\n${result.stdout}${result.stderr}`);
}
const port = await freePort();
pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
pg('pg_ctl', [
	'-D',
	data,
	'-l',
	join(work, 'postgres.log'),
	'-o',
	`-p ${port} -k ${work} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB -c max_wal_size=4GB`,
	'-w',
	'start'
]);
const stopCluster = () => {
	try {
		pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
};

let status = 1;
try {
	const { default: postgres } = await import('postgres');
	const admin = postgres(`postgres://postgres@127.0.0.1:${port}/postgres`, {
		max: 1,
		onnotice: () => undefined
	});
	await admin.unsafe('create database sahakum_bench');
	await admin.end();
	log(`PostgreSQL ${version} on port ${port}; starting the production server on it (migrations, demo data)…`);
	const served = await serveBuiltApp({ databaseUrl: `postgres://postgres@127.0.0.1:${port}/sahakum_bench` });
	try {
		await seed(served.stack.sql);
		await measure(
			served.appUrl,
			served.stack.url,
			served.stack.publishableKey,
			served.stack.sql,
			`postgres://postgres@127.0.0.1:${port}/sahakum_bench`
		);
		status = 0;
	} finally {
		await served.stop();
	}
} catch (error) {
	console.error(error);
} finally {
	stopCluster();
}
process.exit(status);

// ---------------------------------------------------------------- the data
type Sql = <T = Record<string, unknown>>(query: string, params?: unknown[]) => Promise<T[]>;

async function seed(sql: Sql) {
	const t0 = Date.now();
	const step = async (label: string, query: string, params: unknown[] = []) => {
		const started = Date.now();
		await sql(query, params);
		log(`  ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	};
	log(`seeding ${SPACES} spaces, ${MEMBERS} members, ${THREADS} threads, ${POSTS} posts over 12 months…`);
	// A bulk import, as the owner: the per-row triggers (counters, notices,
	// push) and the search indexes off; the programme's own counts are then
	// built in one pass, as its migration does.
	await sql('alter table public.posts disable trigger user');
	await sql('alter table public.threads disable trigger user');
	await sql('drop index if exists public.posts_body_search_idx');
	await sql('drop index if exists public.threads_title_search_idx');
	// Scratch tables for the load (a pool of connections: no temporary tables).
	await sql('create schema bench');
	await step(
		'people',
		`insert into auth.users (id, aud, role, email, encrypted_password, email_confirmed_at, confirmation_token,
		   recovery_token, email_change_token_new, email_change, raw_app_meta_data, raw_user_meta_data,
		   is_sso_user, is_anonymous, created_at, updated_at)
		 select gen_random_uuid(), 'authenticated', 'authenticated', 'bench' || i || '@bench.test', '', now(), '', '', '', '',
		        '{}'::jsonb, jsonb_build_object('display_name', 'Thành viên ' || i), false, false, now(), now()
		   from generate_series(1, ${MEMBERS}) i`
	);
	await step(
		'spaces',
		`insert into public.spaces (kind, name, objective, created_by, created_at, sensitive)
		 select (case when i % 3 = 0 then 'cop' else 'club' end)::public.space_kind, 'CLB ' || i, 'Bench', null,
		        now() - interval '400 days', i % 10 = 0
		   from generate_series(1, ${SPACES - 3}) i`
	);
	await step(
		'members',
		`with people as (select id, row_number() over (order by email) as n from auth.users where email like 'bench%'),
		      spaces as (select id, row_number() over (order by name) - 1 as n from public.spaces)
		 insert into public.space_members (space_id, user_id, role, joined_at)
		 select s.id, p.id, (case when p.n % 100 = 0 then 'facilitator' else 'member' end)::public.space_role,
		        now() - ((p.n % 365) || ' days')::interval
		   from people p join spaces s on s.n = p.n % (select count(*) from public.spaces)`
	);
	await step(
		'threads',
		`with spaces as (select id, row_number() over (order by name) - 1 as n from public.spaces),
		      counted as (select count(*) as c from spaces)
		 insert into public.threads (space_id, title, topic, created_at, last_activity_at)
		 select s.id, 'Chủ đề ' || i, 'other', now() - ((i % 360) || ' days')::interval, now()
		   from generate_series(1, ${THREADS}) i join spaces s on s.n = i % (select c from counted)`
	);
	await sql(
		`create unlogged table bench.numbered as
		   select t.id, t.space_id, (row_number() over (order by t.id))::int as n from public.threads t`
	);
	await sql('alter table bench.numbered add primary key (n)');
	await sql(
		`create unlogged table bench.authors as
		   select m.space_id, m.user_id, (row_number() over (partition by m.space_id order by m.user_id))::int as n
		     from public.space_members m`
	);
	await sql('create index on bench.authors (space_id, n)');
	await sql(
		'create unlogged table bench.author_counts as select space_id, count(*)::int as c from bench.authors group by 1'
	);
	await step(
		'posts',
		`insert into public.posts (thread_id, space_id, author_id, body, created_at)
		 select t.id, t.space_id, a.user_id, 'Tin nhắn số ' || i, now() - ((i % 365) || ' days')::interval - ((i % 1440) || ' minutes')::interval
		   from generate_series(1, ${POSTS}) i
		   join bench.numbered t on t.n = 1 + (i % (select count(*) from bench.numbered))
		   join bench.author_counts c on c.space_id = t.space_id
		   join bench.authors a on a.space_id = t.space_id and a.n = 1 + (i % c.c)`
	);
	await step(
		'read markers (a third of the members opened 10 threads in the last 30 days)',
		`insert into public.thread_reads (thread_id, user_id, last_read_at)
		 select distinct on (t.id, m.user_id) t.id, m.user_id, now() - ((k % 30) || ' days')::interval
		   from public.space_members m
		   join lateral (select n.id from bench.numbered n where n.space_id = m.space_id limit 10) t on true
		   cross join generate_series(1, 1) k
		  where hashtext(m.user_id::text) % 3 = 0
		 on conflict (thread_id, user_id) do nothing` // the demo members' own markers stay
	);
	await step(
		'dialogues, guests and actions',
		`with d as (
		   insert into public.threads (space_id, title, is_dialogue, created_at)
		   select s.id, 'Đối thoại ' || g, true, now() - ((g * 30) || ' days')::interval
		     from public.spaces s cross join generate_series(1, 4) g returning id, space_id, created_at
		 ), dd as (
		   insert into public.dialogues (id, space_id, purpose, meeting_at, status, created_at)
		   select d.id, d.space_id, 'Bench', d.created_at + interval '7 days', 'concluded', d.created_at from d returning id, space_id, created_at
		 ), g as (
		   insert into public.dialogue_guests (dialogue_id, user_id, stakeholder_type, organisation, joined_at)
		   select dd.id, (select u.id from auth.users u where u.email = 'bench' || (1 + abs(hashtext(dd.id::text)) % ${MEMBERS}) || '@bench.test'),
		          'landlord', 'Nhà trọ', dd.created_at from dd
		 )
		 insert into public.dialogue_actions (dialogue_id, space_id, description, owner_kind, due_on, status, dropped_reason, done_at, created_at)
		 select dd.id, dd.space_id, 'Việc ' || k, 'club', (dd.created_at + interval '30 days')::date,
		        (array['agreed', 'in_progress', 'done', 'done', 'dropped'])[1 + k % 5]::public.action_status,
		        case when k % 5 = 4 then 'Không làm nữa' end,
		        case when k % 5 in (2, 3) then dd.created_at + ((20 + k * 3) || ' days')::interval end,
		        dd.created_at + interval '8 days'
		   from dd cross join generate_series(1, 5) k`
	);
	await step(
		'library links',
		`insert into public.library_resources (space_id, title, url, created_at)
		 select s.id, 'Tài liệu ' || k, 'https://example.org/' || k, now() - ((k * 17) || ' days')::interval
		   from public.spaces s cross join generate_series(1, 20) k`
	);
	await sql('alter table public.posts enable trigger user');
	await sql('alter table public.threads enable trigger user');
	await step(
		"the programme's counts per day (as its migration builds them)",
		`insert into private.programme_post_days (space_id, day, posts)
		 select p.space_id, public.programme_day(p.created_at), count(*) from public.posts p
		  where p.deleted_at is null group by 1, 2
		 on conflict (space_id, day) do update set posts = excluded.posts`
	);
	await step('vacuum analyze', 'vacuum analyze').catch(() => step('analyze', 'analyze'));
	const [counts] = await sql<{ spaces: number; members: number; posts: number }>(
		`select (select count(*)::int from public.spaces) spaces, (select count(*)::int from public.space_members) members,
		        (select count(*)::int from public.posts) posts`
	);
	log(
		`seeded in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${counts.spaces} spaces, ${counts.members} memberships, ${counts.posts} posts`
	);
}

// ---------------------------------------------------------------- timings
// A function declaration: the top-level await above calls it before a `const` here would be initialised.
function percentiles(samples: number[]) {
	const sorted = [...samples].sort((a, b) => a - b);
	const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
	return `p50 ${at(50).toFixed(0).padStart(5)} ms   p95 ${at(95).toFixed(0).padStart(5)} ms   max ${sorted.at(-1)!.toFixed(0).padStart(5)} ms`;
}

async function timed(label: string, run: () => Promise<void>) {
	for (let i = 0; i < 3; i++) await run();
	const samples: number[] = [];
	for (let i = 0; i < RUNS; i++) {
		const t0 = performance.now();
		await run();
		samples.push(performance.now() - t0);
	}
	console.log(`  ${label.padEnd(58)} ${percentiles(samples)}`);
}

async function measure(appUrl: string, stackUrl: string, key: string, sql: Sql, databaseUrl: string) {
	const client = createClient<Database>(stackUrl, key, {
		auth: { persistSession: false, autoRefreshToken: false },
		realtime: { transport: ws as never }
	});
	const { error } = await client.auth.signInWithPassword(ANNA);
	if (error) throw error;
	const [{ id: biggest }] = await sql<{ id: string }>(
		`select d.space_id as id from private.programme_post_days d group by 1 order by sum(d.posts) desc limit 1`
	);
	// The app's session cookies, from the sign-in form as a browser posts it.
	const response = await fetch(`${appUrl}/sign-in`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: appUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(ANNA)
	});
	const cookie = response.headers
		.getSetCookie()
		.map((line) => line.split(';')[0])
		.filter((pair) => !pair.endsWith('='))
		.join('; ');
	const page = (path: string) => async () => {
		const res = await fetch(appUrl + path, { headers: { cookie } });
		if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
		const html = await res.text();
		if (!html.includes('figure')) throw new Error(`${path}: no figures in the page`);
	};
	const rpc = (space: string | null) => async () => {
		const res = await client.rpc('programme_figures', space ? { p_space: space } : {});
		if (res.error) throw new Error(res.error.message);
	};
	console.log(
		`\nProgramme figures, last 12 months, ${RUNS} runs each after 3 warm-ups (PostgreSQL ${version}):\n`
	);
	await timed('database: programme_figures() for the network (supabase-js)', rpc(null));
	await timed('database: programme_figures() for the biggest space', rpc(biggest));
	await timed('page: /programme (production server, signed in)', page('/programme'));
	await timed('page: /programme/spaces/<biggest> (production server)', page(`/programme/spaces/${biggest}`));
	// The function alone, on one direct connection as Anna (no HTTP, no PostgREST).
	const { default: postgres } = await import('postgres');
	const direct = postgres(databaseUrl, { max: 1, onnotice: () => undefined });
	try {
		const [{ id: anna }] = await direct<
			{ id: string }[]
		>`select id from auth.users where email = ${ANNA.email}`;
		await direct.begin(async (tx) => {
			// As the stack sets a request: the claims, and the single-claim settings
			// that its auth.uid() reads; then the role PostgREST would switch to.
			await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: anna, role: 'authenticated' })}, true),
			                set_config('request.jwt.claim.sub', ${anna}, true),
			                set_config('request.jwt.claim.role', 'authenticated', true)`;
			await tx`set local role authenticated`;
			await timed('inside the database: select programme_figures() (network)', async () => {
				await tx`select public.programme_figures()`;
			});
			await timed('inside the database: select programme_figures(biggest space)', async () => {
				await tx`select public.programme_figures(${biggest}::uuid)`;
			});
		});
	} finally {
		await direct.end();
	}
}
