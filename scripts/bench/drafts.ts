// `npm run bench:drafts`: co-editing one proposal on the local stack.
// Part 1: a fresh in-memory stack in a child process; 10 simulated editors in
// this process (the editor's own DraftSync, supabase-js with ws, one socket
// each) type into one draft for BENCH_SECONDS (default 60) at BENCH_CPS
// characters per second each on average (default 4; random pauses, each
// person on their own clock; BENCH_TYPING=lockstep: all ten at once, as this
// bench typed before). Prints update propagation latency
// (from the editor sending an update to another editor applying it, as the
// database announced it) p50/p95/p99 and the part of it spent storing (the push's round trip),
// messages per second, bytes stored per minute before and after compaction
// (the log is folded while people type by the app compactor's own rule,
// src/lib/drafts/fold-schedule.ts; BENCH_FOLD_SHARE=0 folds every 200 updates,
// the rule before it, for an A/B; BENCH_FOLD_SHARE=off folds only at the end;
// BENCH_DELETES sets the share of
// keystrokes that delete, 0.2 by default),
// compaction time, and checks that the 10 documents ended identical. Then,
// with every editor closed, the draft is rebased (a fresh document of the
// same content, src/lib/drafts/rebase.ts): snapshot size, time to load the
// draft through the API as a member and time to apply its snapshot, before
// and after.
// The figure: BENCH_SECONDS=600 (10 people for 10 minutes).
// DATABASE_URL=postgres://… runs the stack on that Postgres instead of PGlite
// (migrated if it is empty; the bench adds its own people and draft to it).
// Part 2 (needs `npm run build`): a 50-page proposal (~150,000 characters) in
// the production build: time to the server-rendered reading page (from
// projections) and to the editor being ready (Yjs + ProseMirror loaded,
// document synced) in Chromium (BENCH_PART=open runs this part alone).
// Loopback only; bounded by BENCH_SECONDS.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createClient } from '@supabase/supabase-js';
import ws from 'ws';
import * as Y from 'yjs';
import type { Database } from '../../src/lib/supabase/database.types';
import { supabaseApi, type DraftApi } from '../../src/lib/drafts/api';
import { toBase64 } from '../../src/lib/drafts/base64';
import { budgetOf, newGroup, newSection, projectDoc, sectionsOf } from '../../src/lib/drafts/doc';
import { DraftSync, type UpdateMessage } from '../../src/lib/drafts/sync';
import { foldDraftLog, loadDraftDoc, rebaseDraft } from '../../src/lib/drafts/compact.server';
import { FoldSchedule, LOG_SHARE } from '../../src/lib/drafts/fold-schedule';
import { catchUp } from '../../src/lib/drafts/queries';
import type { Client } from '../../src/lib/supabase/types';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const CPS = Number(process.env.BENCH_CPS ?? 4);
const EDITORS = 10;
/** The compactor's rule for folding while people type (fold-schedule.ts): its log share, 0 for every 200 updates, off for never. */
const FOLD_SHARE = process.env.BENCH_FOLD_SHARE ?? String(LOG_SHARE);
/** The share of keystrokes that delete a character. */
const DELETES = Number(process.env.BENCH_DELETES ?? 0.2);

type Ready = {
	type: 'ready';
	url: string;
	key: string;
	secretKey: string;
	draftId: string;
	tokens: string[];
};
type Bytes = { type: 'bytes'; log: number; snapshot: number; rows: number };

/** A proposal of `sections` sections with `paragraphs` paragraphs of `chars` characters each. */
function proposal(sections: number, paragraphs: number, chars: number): Y.Doc {
	const doc = new Y.Doc();
	const sentence =
		'Câu lạc bộ phụ nữ cùng nhau xây dựng kế hoạch hoạt động cho cộng đồng. សហគមន៍ធ្វើការរួមគ្នា។ ';
	const text = sentence.repeat(Math.ceil(chars / sentence.length)).slice(0, chars);
	doc.transact(() => {
		sectionsOf(doc).push(
			Array.from({ length: sections }, (_, s) =>
				newSection(
					`Phần ${s + 1}`,
					Array.from({ length: paragraphs }, () => text)
				)
			)
		);
		budgetOf(doc).set('currency', 'VND');
		budgetOf(doc).set(
			'groups',
			Y.Array.from([
				newGroup('Hội thảo', [
					{ description: 'Hội trường', quantity: '2', unit: 'ngày', unit_cost: '1500000' }
				])
			])
		);
	});
	return doc;
}

/**
 * A new draft holding `doc`: created empty, then the document in updates of at
 * most ~100 KiB (one update may be 128 KiB), then folded by the compactor.
 */
async function createDraftWith(person: Client, service: Client, spaceId: string, doc: Y.Doc, title: string) {
	const draftId = crypto.randomUUID();
	const created = await person.rpc('create_draft', {
		p_id: draftId,
		p_space: spaceId,
		p_kind: 'proposal',
		p_title: title,
		p_language: 'vi',
		p_content: toBase64(Y.encodeStateAsUpdate(new Y.Doc()))
	});
	if (created.error) throw created.error;
	const copy = new Y.Doc();
	const pieces: Uint8Array[] = [];
	copy.on('update', (u: Uint8Array) => pieces.push(u));
	const sections = sectionsOf(doc).toArray();
	copy.transact(() => {
		budgetOf(copy).set('currency', budgetOf(doc).get('currency'));
		budgetOf(copy).set('groups', (budgetOf(doc).get('groups') as Y.Array<Y.Map<unknown>>).clone());
	});
	let batch: Y.Map<unknown>[] = [];
	let chars = 0;
	for (const section of sections) {
		batch.push(section.clone());
		chars += JSON.stringify(section.toJSON()).length;
		if (chars > 30_000) {
			const next = batch;
			copy.transact(() => sectionsOf(copy).push(next));
			batch = [];
			chars = 0;
		}
	}
	if (batch.length) copy.transact(() => sectionsOf(copy).push(batch));
	for (const update of pieces) {
		const pushed = await person.rpc('push_draft_update', {
			p_id: crypto.randomUUID(),
			p_draft: draftId,
			p_update: toBase64(update),
			p_scope: 'create'
		});
		if (pushed.error) throw pushed.error;
	}
	await foldDraftLog(service, draftId);
	return draftId;
}

const serviceFor = (url: string, secretKey: string) =>
	createClient<Database>(url, secretKey, {
		auth: { persistSession: false, autoRefreshToken: false },
		realtime: { transport: ws as never }
	});

/** The child: the stack, ten members of one space, one draft. */
async function serve(): Promise<void> {
	const { startStack } = await import('../../supabase/local/stack');
	const { signedInUser } = await import('../../tests/integration/helpers/stack');
	// DATABASE_URL: the stack on that Postgres (migrated if it is empty; the bench adds its own people and draft).
	const stack = await startStack({
		port: 0,
		dataDir: null,
		seed: false,
		databaseUrl: process.env.DATABASE_URL || undefined,
		log: () => undefined
	});
	const people = await Promise.all(
		Array.from({ length: EDITORS }, (_, i) => signedInUser(stack, `Editor ${i + 1}`))
	);
	const spaceId = crypto.randomUUID();
	const owner = people[0].client;
	if ((await owner.from('spaces').insert({ id: spaceId, name: 'Bench CoP', created_by: people[0].id })).error)
		throw new Error('space');
	await stack.sql(
		`insert into public.space_members (space_id, user_id, role) select $1, id, 'member' from unnest($2::uuid[]) as id`,
		[spaceId, people.slice(1).map((p) => p.id)]
	);
	const draftId = await createDraftWith(
		owner,
		serviceFor(stack.url, stack.secretKey),
		spaceId,
		proposal(8, 1, 200),
		'Bench proposal'
	);
	const tokens = await Promise.all(
		people.map(async (p) => (await p.client.auth.getSession()).data.session!.access_token)
	);
	// Exiting (not killed) so that BENCH_PROFILE's CPU profile of the stack is written.
	process.once('SIGTERM', () => process.exit(0));
	process.on('message', (message: { type: string }) => {
		if (message.type !== 'bytes') return;
		void stack
			.sql<{ log: string; snapshot: string; rows: string }>(
				`select coalesce((select sum(octet_length(data)) from public.draft_updates where draft_id = $1), 0)::text as log,
				        (select octet_length(snapshot) from public.drafts where id = $1)::text as snapshot,
				        (select count(*) from public.draft_updates where draft_id = $1 and data is not null)::text as rows`,
				[draftId]
			)
			.then(([row]) =>
				process.send!({
					type: 'bytes',
					log: Number(row.log),
					snapshot: Number(row.snapshot),
					rows: Number(row.rows)
				})
			);
	});
	process.send!({
		type: 'ready',
		url: stack.url,
		key: stack.publishableKey,
		secretKey: stack.secretKey,
		draftId,
		tokens
	} satisfies Ready);
}

const percentile = (values: number[], p: number) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
};
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

async function bench(): Promise<void> {
	const child: ChildProcess = fork(import.meta.filename, ['--server'], {
		execArgv: [
			'--import',
			'tsx',
			...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [])
		],
		stdio: ['ignore', 'ignore', 'inherit', 'ipc']
	});
	const next = <T>(type: string) =>
		new Promise<T>((resolve) =>
			child.on('message', (m: { type: string }) => m.type === type && resolve(m as T))
		);
	try {
		const ready = await next<Ready>('ready');
		const clients = ready.tokens.map((token) =>
			createClient<Database>(ready.url, ready.key, {
				accessToken: () => Promise.resolve(token),
				realtime: { transport: ws as never }
			})
		);
		const latencies: number[] = [];
		// When each delivery arrived: the first and the last minute are printed apart (does it grow?).
		const deliveredAt: number[] = [];
		// How long storing took (the push RPC's round trip): the first part of propagation.
		const storing: number[] = [];
		let received = 0;
		let sent = 0;
		// When each update left its editor (before it was stored), and which editor sent it.
		const sentAt = new Map<string, { t: number; editor: number }>();
		// The compactor folds the log while people type, by the app server's rule (after enough of a log,
		// or a quiet moment); without it a long run's log grows far past anything the app keeps.
		const compactor = serviceFor(ready.url, ready.secretKey);
		const schedule = FOLD_SHARE === 'off' ? null : new FoldSchedule(Number(FOLD_SHARE));
		let folding: Promise<unknown> = Promise.resolve();
		let folds = 0;
		let typing = true;
		const fold = () => {
			schedule?.folding(ready.draftId);
			folding = folding.then(() =>
				foldDraftLog(compactor, ready.draftId, (bytes) => schedule?.folded(ready.draftId, bytes)).then(
					(done) => void (folds += done ? 1 : 0),
					(error: unknown) =>
						console.error(`[bench] compaction failed: ${String((error as Error)?.message ?? error)}`)
				)
			);
		};
		const editors = clients.map((client, i) => {
			const doc = new Y.Doc();
			const api = supabaseApi(client, ready.draftId);
			const timedApi: DraftApi = {
				...api,
				push: (input) => {
					sent++;
					const t = performance.now();
					sentAt.set(input.id, { t, editor: i });
					return api.push(input).then((stored) => {
						if (!stored.error) storing.push(performance.now() - t);
						if (typing && !stored.error && schedule?.stored(ready.draftId, input.update.length)) fold();
						return stored;
					});
				}
			};
			const sync = new DraftSync({
				doc,
				draftId: ready.draftId,
				api: timedApi,
				flushDelayMs: 50,
				onRemote: (message: UpdateMessage) => {
					const from = sentAt.get(message.id);
					if (!from || from.editor === i) return;
					received++;
					latencies.push(performance.now() - from.t);
					deliveredAt.push(performance.now());
				}
			});
			return { doc, sync, section: i % 8 };
		});
		await Promise.all(editors.map((e) => e.sync.start()));
		console.log(
			`${EDITORS} editors typing ${CPS} characters/s each into one proposal for ${SECONDS} s, on ${process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'PGlite in memory'}…`
		);
		const letters = 'abcdefghij ăâêôơưđ សហគមន៍';
		const started = performance.now();
		// The ten editors (and the compactor's folds) share this process's event loop: how late its
		// timers ran says how much of the propagation figure is this process being busy, not the server.
		const loopDelay = monitorEventLoopDelay({ resolution: 10 });
		loopDelay.enable();
		const cpuAtStart = process.cpuUsage();
		const keystroke = (editor: (typeof editors)[number]) => {
			const body = sectionsOf(editor.doc).get(editor.section).get('body') as Y.XmlFragment;
			const paragraph = body.get(0) as Y.XmlElement;
			let text = paragraph.get(0) as Y.XmlText | undefined;
			if (!text) {
				text = new Y.XmlText();
				paragraph.insert(0, [text]);
			}
			if (text.length > 10 && Math.random() < DELETES) {
				text.delete(Math.floor(Math.random() * text.length), 1);
				return;
			}
			const at = Math.floor(Math.random() * (text.length + 1));
			text.insert(at, letters[Math.floor(Math.random() * letters.length)]);
		};
		// Ten people do not type in step. Each keystroke comes after a random pause (exponential,
		// CPS a second on average: burstier than real typing, so no kinder to the server). With one
		// timer per editor started in the same tick (BENCH_TYPING=lockstep, this bench before), all
		// ten pushed in the same 50 ms every time: a burst of ten queued behind one another, which no
		// group of people makes, and which put ~70 ms of waiting into the figure.
		const lockstep = process.env.BENCH_TYPING === 'lockstep';
		const timers = new Set<ReturnType<typeof setTimeout>>();
		const typeOn = (editor: (typeof editors)[number]) => {
			const pause = lockstep ? 1000 / CPS : (-Math.log(1 - Math.random()) * 1000) / CPS;
			const timer = setTimeout(() => {
				timers.delete(timer);
				keystroke(editor);
				typeOn(editor);
			}, pause);
			timers.add(timer);
		};
		editors.forEach(typeOn);
		await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
		timers.forEach(clearTimeout);
		typing = false;
		await folding;
		const typedFor = (performance.now() - started) / 1000;
		loopDelay.disable();
		const cpuUsed = process.cpuUsage(cpuAtStart);
		const settle = performance.now();
		while (!editors.every((e) => e.sync.idle) && performance.now() - settle < 30_000)
			await new Promise((r) => setTimeout(r, 100));
		await Promise.all(editors.map((e) => e.sync.catchUp()));
		const same = editors.every(
			(e) => JSON.stringify(projectDoc(e.doc)) === JSON.stringify(projectDoc(editors[0].doc))
		);
		child.send({ type: 'bytes' });
		const before = await next<Bytes>('bytes');
		const t0 = performance.now();
		await foldDraftLog(serviceFor(ready.url, ready.secretKey), ready.draftId);
		const compactMs = performance.now() - t0;
		child.send({ type: 'bytes' });
		const after = await next<Bytes>('bytes');
		editors.forEach((e) => e.sync.stop());
		await Promise.all(clients.map((c) => c.removeAllChannels()));
		// No editor open: rebase, and what opening the draft costs before and after.
		const opening = async () => {
			const loads: number[] = [];
			const applies: number[] = [];
			for (let run = 0; run < 5; run++) {
				const t = performance.now();
				await loadDraftDoc(clients[1], ready.draftId);
				loads.push(performance.now() - t);
				const page = await catchUp(clients[1], ready.draftId, -1, 1);
				const bytes = page!.snapshot!;
				const t2 = performance.now();
				Y.applyUpdate(new Y.Doc(), bytes);
				applies.push(performance.now() - t2);
			}
			return { load: percentile(loads, 50), apply: percentile(applies, 50) };
		};
		const openBefore = await opening();
		const t1 = performance.now();
		const rebase = await rebaseDraft(serviceFor(ready.url, ready.secretKey), ready.draftId);
		const rebaseMs = performance.now() - t1;
		child.send({ type: 'bytes' });
		const rebased = await next<Bytes>('bytes');
		const openAfter = await opening();
		const sameAfter =
			JSON.stringify(projectDoc((await loadDraftDoc(clients[1], ready.draftId))!.doc)) ===
			JSON.stringify(projectDoc(editors[0].doc));
		const perMinute = 60 / typedFor;
		console.log(
			`update propagation (sent by an editor → applied by another, through the database): p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms (${latencies.length} deliveries)`
		);
		console.log(
			`  of which storing (the push's round trip): p50 ${percentile(storing, 50).toFixed(0)} ms, p95 ${percentile(storing, 95).toFixed(0)} ms`
		);
		const during = (from: number, to: number) =>
			latencies.filter((_, i) => deliveredAt[i] - started >= from && deliveredAt[i] - started < to);
		if (SECONDS >= 180) {
			const [first, last] = [during(0, 60_000), during((SECONDS - 60) * 1000, Infinity)];
			console.log(
				`  first minute p50 ${percentile(first, 50).toFixed(0)} / p95 ${percentile(first, 95).toFixed(0)} ms; last minute p50 ${percentile(last, 50).toFixed(0)} / p95 ${percentile(last, 95).toFixed(0)} ms`
			);
		}
		const ms = (ns: number) => (ns / 1e6).toFixed(0);
		console.log(
			`  this process (10 editors and the compactor): CPU ${(((cpuUsed.user + cpuUsed.system) / 1e6 / typedFor) * 100).toFixed(0)}% of a core; its timers ran late by p50 ${ms(loopDelay.percentile(50))} / p95 ${ms(loopDelay.percentile(95))} / p99 ${ms(loopDelay.percentile(99))} ms (max ${ms(loopDelay.max)})`
		);
		console.log(
			`messages: ${(sent / typedFor).toFixed(1)} updates/s stored and announced, ${(received / typedFor).toFixed(1)} deliveries/s`
		);
		console.log(
			`stored before compaction: ${kib((before.log + before.snapshot) * perMinute)}/min (log ${kib(before.log)} in ${before.rows} updates + snapshot ${kib(before.snapshot)})`
		);
		console.log(
			`stored after compaction: ${kib((after.log + after.snapshot) * perMinute)}/min (snapshot ${kib(after.snapshot)}, log ${kib(after.log)})`
		);
		console.log(
			`compaction of ${before.rows} updates: ${compactMs.toFixed(0)} ms (load, apply, encode, store in pieces, through the API as the compactor; ${folds} compactions while typing)`
		);
		console.log(
			`rebase (${rebase.rebased ? 'done' : 'not worth it'}, ${rebaseMs.toFixed(0)} ms): snapshot ${kib(after.snapshot)} -> ${kib(rebased.snapshot)}; loading the draft as a member (median of 5) ${openBefore.load.toFixed(0)} -> ${openAfter.load.toFixed(0)} ms; applying its snapshot ${openBefore.apply.toFixed(1)} -> ${openAfter.apply.toFixed(1)} ms`
		);
		console.log(
			`documents identical at the end: ${same ? 'yes' : 'NO'}; same content after the rebase: ${sameAfter ? 'yes' : 'NO'}`
		);
		if (!same || !sameAfter) process.exitCode = 1;
	} finally {
		child.kill('SIGTERM');
	}
	await openBigDraft();
}

/** Part 2: a 50-page draft in the production build. */
async function openBigDraft() {
	if (!existsSync('build/index.js')) {
		console.log('50-page draft: skipped (run `npm run build` first)');
		return;
	}
	const { chromium } = await import('@playwright/test');
	const { ensureChromium } = await import('../chromium');
	const { serveBuiltApp } = await import('../serve-built');
	const served = await serveBuiltApp();
	const browser = await chromium.launch({ executablePath: ensureChromium(), args: ['--no-sandbox'] });
	try {
		const sokha = createClient<Database>(served.stack.url, served.stack.publishableKey, {
			realtime: { transport: ws as never },
			auth: { persistSession: false }
		});
		await sokha.auth.signInWithPassword({ email: 'sokha@sahakum.test', password: 'sahakum-demo' });
		const doc = proposal(40, 10, 375); // 150,000 characters ≈ 50 pages
		const space = '10000000-0000-4000-a000-000000000003';
		const snapshot = Y.encodeStateAsUpdate(doc);
		const draftId = await createDraftWith(
			sokha,
			serviceFor(served.stack.url, served.stack.secretKey),
			space,
			doc,
			'Đề xuất 50 trang'
		);
		const context = await browser.newContext({
			viewport: { width: 360, height: 740 },
			serviceWorkers: 'block'
		});
		const page = await context.newPage();
		await page.goto(`${served.appUrl}/sign-in`);
		await page.locator('input[name=email]').fill('sokha@sahakum.test');
		await page.locator('input[name=password]').fill('sahakum-demo');
		await page.locator('main form button.primary').click();
		await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
		const url = `${served.appUrl}/spaces/${space}/drafts/${draftId}`;
		const reads: number[] = [];
		for (let i = 0; i < 3; i++) {
			const t = performance.now();
			const response = await fetch(url, {
				headers: { cookie: (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') }
			});
			await response.text();
			reads.push(performance.now() - t);
		}
		const t1 = performance.now();
		await page.goto(url, { waitUntil: 'domcontentloaded' });
		const shown = performance.now() - t1;
		const t2 = performance.now();
		await page.goto(`${url}/edit`, { waitUntil: 'commit' });
		await page.locator('[data-editor-ready]').waitFor({ timeout: 120_000 });
		const editorReady = performance.now() - t2;
		console.log(
			`50-page draft (${(150_000).toLocaleString('en')} characters, snapshot ${kib(snapshot.length)}): server render from projections ${percentile(reads, 50).toFixed(0)} ms (median of 3, HTML), reading page shown in Chromium ${shown.toFixed(0)} ms; editor ready ${editorReady.toFixed(0)} ms`
		);
	} finally {
		await browser.close();
		await served.stop();
	}
}

if (process.argv.includes('--server')) await serve();
else if (process.env.BENCH_PART === 'open') await openBigDraft();
else await bench();
