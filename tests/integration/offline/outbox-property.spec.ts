// The outbox under a flaky network, against the real local stack: many seeded
// cycles of writing (replies, some with a bidi control the form action strips,
// new threads, reactions set on and off), each followed by a send through a
// network that drops requests before they arrive, drops answers after the
// server stored them, or the server answers 503, or the session is gone for a
// moment (the action answers 401); now and then the page is killed mid-send
// (the request may or may not have reached the server, and that send never
// finishes), and now and then two tabs send at once (every item delivered
// twice). After the last cycle the network is good and everything is sent.
// Then the server must hold every reply and thread exactly once, in the order
// written, stored as the form stores it online, the reactions as the last
// change left them, and the outbox nothing.
//
// The outbox posts each item to its form action: here the app's real action
// modules (the thread page's reply and react, the new-thread page), answered
// as SvelteKit answers `use:enhance` (helpers/app-actions.ts), each request
// with the browser's session cookie and the app's own per-request client.
// IndexedDB is fake-indexeddb (the browser API, in memory); everything else is
// real: the app's outbox, sender and actions, supabase-js, HTTP, RLS, Postgres.
// OUTBOX_SEED and OUTBOX_CYCLES change the run; a failure prints its seed.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue, outboxItems, type NewOutboxItem } from '$lib/offline/outbox';
import { flushOutbox, type FlushResult, type Sender } from '$lib/offline/send';
import { cleanText } from '$lib/text/clean';
import { REACTIONS, type ReactionKind } from '$lib/vocabulary';
import { signedInUser, startTestStack, type Person, type TestStack } from '../helpers/stack';
import { createSpace, invitePerson, newId } from '../helpers/spaces';
import { Browser, deserialize, loadAppServer, type AppServer } from '../helpers/app-actions';

// Node 24 has the Web Locks API. A browser releases a killed page's lock; a
// page killed here (its send left hanging) would hold it for ever, and every
// later send would find it taken. The lock is off, as in a browser without
// it: sends must be safe without it (two tabs at once are part of the test).
if (globalThis.navigator && 'locks' in globalThis.navigator)
	Object.defineProperty(globalThis.navigator, 'locks', { value: undefined, configurable: true });

const SEED = Number(process.env.OUTBOX_SEED ?? 20261130);
const CYCLES = Number(process.env.OUTBOX_CYCLES ?? 1000);

/** mulberry32: small, seeded, good enough to pick faults and items. */
function random(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

let stack: TestStack;
let writer: Person;
let spaceId: string;
let threadId: string;
let postId: string;
let app: AppServer;
/** The writer's phone: her session in its cookie jar, signed in through the app's sign-in form. */
const phone = new Browser('203.0.113.7');

beforeAll(async () => {
	stack = await startTestStack();
	app = await loadAppServer(stack);
	const facilitator = await signedInUser(stack, 'Linh');
	writer = await signedInUser(stack, 'Thu');
	spaceId = await createSpace(facilitator, { name: 'CLB thử mạng chập chờn' });
	await invitePerson(facilitator, writer, spaceId);
	threadId = newId();
	const started = await facilitator.client.rpc('start_thread', {
		p_id: threadId,
		p_space: spaceId,
		p_title: 'Lịch họp',
		p_body: 'Họp tối Chủ nhật.',
		p_topic: 'other'
	});
	expect(started.error).toBeNull();
	const { data } = await facilitator.client.from('posts').select('id').eq('thread_id', threadId).single();
	postId = data!.id;
	const signedIn = await app(phone, 'signIn', { email: writer.email, password: 'correct horse battery' });
	expect(signedIn.status).toBe(303);
	expect(phone.signedIn).toBe(true);
});
afterAll(async () => {
	await stack?.stop();
});

type Fault = 'none' | 'request lost' | 'answer lost' | 'server error' | 'page killed' | 'signed out';

describe('the outbox on a flaky network', () => {
	it(`sends everything exactly once and in order over ${CYCLES} seeded cycles (seed ${SEED})`, async () => {
		const next = random(SEED);
		const pick = <T>(choices: readonly T[]) => choices[Math.floor(next() * choices.length)];
		const appFetch = app.actionFetch(phone);
		// The same phone with its session gone (expired, signed out elsewhere): no cookie goes.
		const appFetchSignedOut = app.actionFetch(new Browser(phone.address));

		// The network between the phone and the app server, decided per request.
		let faultRate = 0.3;
		const figures = {
			requests: 0,
			requestsLost: 0,
			answersLost: 0,
			signedOut: 0,
			pagesKilled: 0,
			serverErrors: 0,
			twoTabs: 0
		};
		// Set while a send runs: the page dies with it.
		let killPage: (() => void) | null = null;
		const flakyFetch: typeof fetch = async (input, init) => {
			figures.requests++;
			const fault: Fault =
				next() < faultRate
					? pick([
							'request lost',
							'answer lost',
							'request lost',
							'answer lost',
							'server error',
							'page killed',
							'signed out'
						] as const)
					: 'none';
			if (fault === 'page killed' && killPage) {
				figures.pagesKilled++;
				if (next() < 0.5) await (await appFetch(input, init)).arrayBuffer(); // it got there, or not
				killPage();
				return new Promise<Response>(() => undefined); // this send never finishes
			}
			if (fault === 'server error') {
				figures.serverErrors++;
				return new Response('<h1>Service unavailable</h1>', {
					status: 503,
					headers: { 'content-type': 'text/html' }
				});
			}
			if (fault === 'request lost') {
				figures.requestsLost++;
				throw new TypeError('fetch failed');
			}
			if (fault === 'signed out') {
				figures.signedOut++;
				return appFetchSignedOut(input, init);
			}
			const response = await appFetch(input, init);
			if (fault === 'answer lost') {
				// The server did it; the phone never hears.
				figures.answersLost++;
				await response.arrayBuffer();
				throw new TypeError('fetch failed');
			}
			return response;
		};
		const sender: Sender = { fetch: flakyFetch, deserialize };
		const threadPage = `/spaces/${spaceId}/threads/${threadId}`;

		const replies: string[] = [];
		const threads: string[] = [];
		const reactions = new Map<ReactionKind, boolean>(); // the last change wins
		const totals: FlushResult = { sent: 0, refused: 0, waiting: 0, signedOut: false };
		let written = 0;

		let signedOutSeen = 0;

		// Each item is what the page's own form would have put in the outbox (src/lib/offline/enhance.ts).
		const write = async () => {
			written++;
			const roll = next();
			let item: NewOutboxItem;
			if (roll < 0.5) {
				// Now and then with a right-to-left override: the reply action strips it, as it does online.
				const typed = next() < 0.1 ? `r-${written} \u202Egpj.exe` : `r-${written}`;
				replies.push(cleanText(typed).text);
				const id = crypto.randomUUID();
				item = {
					id,
					userId: writer.id,
					action: `${threadPage}?/reply`,
					fields: { id, body: typed },
					page: threadPage
				};
			} else if (roll < 0.7) {
				const title = `t-${written}`;
				threads.push(title);
				const id = crypto.randomUUID();
				item = {
					id,
					userId: writer.id,
					action: `/spaces/${spaceId}/threads/new`,
					fields: { id, title, topic: 'other', body: `Nội dung ${written}` },
					page: `/spaces/${spaceId}`
				};
			} else {
				// The button posts the state it shows it will set.
				const reaction = pick(REACTIONS);
				const on = !reactions.get(reaction);
				reactions.set(reaction, on);
				item = {
					id: crypto.randomUUID(),
					userId: writer.id,
					action: `${threadPage}?/react`,
					fields: { post_id: postId, kind: reaction, on: on ? '1' : '0' },
					page: threadPage
				};
			}
			await enqueue(item);
		};
		const sendOnce = async () => {
			const killed = new Promise<null>((dead) => (killPage = () => dead(null)));
			const result = await Promise.race([flushOutbox(writer.id, sender), killed]);
			killPage = null;
			if (!result) return; // the page died; a new one will send
			totals.sent += result.sent;
			totals.refused += result.refused;
			if (result.signedOut) signedOutSeen++;
		};
		const send = async () => {
			// Two tabs at once, with no lock between them: every item goes twice.
			if (next() < 0.1) {
				figures.twoTabs++;
				await Promise.all([flushOutbox(writer.id, sender), flushOutbox(writer.id, sender)]).then((results) =>
					results.forEach((result) => (totals.refused += result.refused))
				);
			} else await sendOnce();
		};

		for (let cycle = 0; cycle < CYCLES; cycle++) {
			const count = 1 + Math.floor(next() * 3);
			for (let i = 0; i < count; i++) await write();
			// Sometimes the phone writes again before it gets a chance to send.
			if (next() < 0.8) await send();
		}
		faultRate = 0;
		while ((await outboxItems(writer.id)).length && totals.refused === 0) await send();

		const storedReplies = await stack.sql<{ body: string }>(
			`select body from public.posts where thread_id = $1 and author_id = $2 order by created_at, id`,
			[threadId, writer.id]
		);
		const storedThreads = await stack.sql<{ title: string }>(
			`select title from public.threads where space_id = $1 and author_id = $2 order by created_at, id`,
			[spaceId, writer.id]
		);
		const storedReactions = await stack.sql<{ kind: ReactionKind }>(
			`select kind from public.reactions where post_id = $1 and user_id = $2 order by kind`,
			[postId, writer.id]
		);
		const expectedReactions = [...reactions].filter(([, on]) => on).map(([kind]) => kind);

		console.log(
			`outbox property (seed ${SEED}): ${CYCLES} cycles, ${written} items written ` +
				`(${replies.length} replies, ${threads.length} threads; ${storedReplies.length + storedThreads.length} stored); ` +
				`${figures.requests} requests, ${figures.requestsLost} lost before the server, ` +
				`${figures.answersLost} answers lost after it, ${figures.signedOut} sent without a session (${signedOutSeen} sends said so), ` +
				`${figures.serverErrors} answered 503, ` +
				`${figures.pagesKilled} pages killed mid-send, ${figures.twoTabs} sends by two tabs at once`
		);
		expect(totals.refused, `seed ${SEED}: nothing valid is refused`).toBe(0);
		expect(await outboxItems(writer.id), `seed ${SEED}: the outbox is empty`).toEqual([]);
		expect(
			storedReplies.map((row) => row.body),
			`seed ${SEED}: every reply once, in order`
		).toEqual(replies);
		expect(
			storedThreads.map((row) => row.title),
			`seed ${SEED}: every thread once, in order`
		).toEqual(threads);
		expect(storedReactions.map((row) => row.kind).sort(), `seed ${SEED}: reactions as last changed`).toEqual(
			expectedReactions.sort()
		);
		// The run really was flaky, both ways.
		expect(figures.requestsLost).toBeGreaterThan(CYCLES / 10);
		expect(figures.answersLost).toBeGreaterThan(CYCLES / 10);
		expect(figures.pagesKilled).toBeGreaterThan(CYCLES / 50);
		expect(figures.serverErrors).toBeGreaterThan(CYCLES / 50);
		expect(figures.twoTabs).toBeGreaterThan(CYCLES / 20);
		expect(figures.signedOut).toBeGreaterThan(CYCLES / 50);
		expect(signedOutSeen, 'a missing session is told, not refused').toBeGreaterThan(0);
	}, 600_000);
});
