// What the local stack accepts (LIMITS in ../limits.ts), tried the way an
// attacker or a runaway client would: oversized bodies (declared and streamed),
// bulk inserts, huge sign-up metadata, and database refusals that must read as
// the client's fault (4xx, PostgREST's codes) rather than the server's (500).
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../limits';
import { anonClient, signedInUser, startTestStack, type Person, type TestStack } from './helpers';

let stack: TestStack;
let writer: Person;
let reader: Person;

const MB = 1024 * 1024;

beforeAll(async () => {
	stack = await startTestStack();
	await stack.sql(`create table public.lt_rows (
		id uuid primary key default gen_random_uuid(),
		owner uuid not null default auth.uid(),
		body text not null check (char_length(body) <= 20),
		code varchar(3),
		n int)`);
	await stack.sql(`alter table public.lt_rows enable row level security`);
	await stack.sql(`create policy lt_rows_insert on public.lt_rows for insert to authenticated
		with check (owner = (select auth.uid()))`);
	await stack.sql(`create policy lt_rows_select on public.lt_rows for select to authenticated using (true)`);
	await stack.sql(`create function public.lt_refuse() returns void language plpgsql as $$
		begin raise exception 'not_allowed' using hint = 'ask a facilitator'; end $$`);
	// Counts its calls (lite reads the functions once, at the first request: made here).
	await stack.sql(`create table public.lt_calls (n serial primary key)`);
	await stack.sql(`create function public.lt_count_call(p_note text default null) returns int
		language sql as $$ insert into public.lt_calls default values returning n $$`);
	await stack.sql(`grant insert, select on public.lt_calls to anon, authenticated`);
	await stack.sql(`grant usage on sequence public.lt_calls_n_seq to anon, authenticated`);
	[writer, reader] = await Promise.all([signedInUser(stack, 'Writer'), signedInUser(stack, 'Reader')]);
});
afterAll(async () => {
	await stack?.stop();
});

/**
 * Sends a large body over a raw connection, `chunk` bytes at a time, until the server
 * answers or all is sent; says how much went out before the answer came.
 */
function sendLarge(
	path: string,
	total: number,
	headers: Record<string, string>,
	declareLength: boolean
): Promise<{ status: number; body: string; sent: number }> {
	return new Promise((resolve, reject) => {
		const request = httpRequest(`${stack.url}${path}`, {
			method: 'POST',
			headers: { ...headers, ...(declareLength ? { 'content-length': String(total) } : {}) }
		});
		let sent = 0;
		let answered = false;
		request.on('response', (response) => {
			answered = true;
			let body = '';
			response.on('data', (chunk: Buffer) => (body += chunk.toString()));
			response.on('end', () => {
				request.destroy();
				resolve({ status: response.statusCode!, body, sent });
			});
		});
		request.on('error', (error) => {
			if (!answered) reject(error);
		});
		const piece = Buffer.from('{"body":"' + 'x'.repeat(64 * 1024 - 12) + '"},');
		const pump = () => {
			while (!answered && sent < total) {
				sent += piece.length;
				if (!request.write(piece)) return void request.once('drain', pump);
			}
			if (!answered) request.end();
		};
		request.write('[');
		pump();
	});
}

const anonHeaders = () => ({
	apikey: stack.publishableKey,
	authorization: `Bearer ${stack.publishableKey}`,
	'content-type': 'application/json'
});

describe('request bodies', () => {
	it('a 50 MB JSON body to /rest/v1/posts is refused with 413 without being read whole', async () => {
		for (const declared of [true, false]) {
			const started = Date.now();
			const { status, body, sent } = await sendLarge('/rest/v1/posts', 50 * MB, anonHeaders(), declared);
			expect(status).toBe(413);
			expect(JSON.parse(body)).toMatchObject({ code: 'PGRST413', message: 'Payload too large' });
			// Declared: refused before reading; streamed: soon after the first MiB
			// (what the client got out meanwhile sits in socket buffers).
			expect(sent).toBeLessThan(16 * MB);
			console.log(
				`50 MB body (${declared ? 'Content-Length' : 'chunked'}): 413 after ${(sent / MB).toFixed(1)} MB sent, ${Date.now() - started} ms`
			);
		}
		// The stack still answers.
		const { error } = await reader.client.from('lt_rows').select('id').limit(1);
		expect(error).toBeNull();
	});

	it('a body just under the JSON limit still reaches lite (and lite answers it)', async () => {
		const { status } = await sendLarge(
			'/rest/v1/lt_rows',
			LIMITS.jsonBodyBytes - 200 * 1024,
			anonHeaders(),
			true
		);
		expect(status).not.toBe(413);
	});

	it('a Storage upload over the global or the bucket’s file limit is refused with 413 before it is read', async () => {
		const headers = {
			apikey: stack.secretKey,
			authorization: `Bearer ${stack.secretKey}`,
			'content-type': 'application/octet-stream'
		};
		const made = await fetch(`${stack.url}/storage/v1/bucket`, {
			method: 'POST',
			headers: { ...headers, 'content-type': 'application/json' },
			body: JSON.stringify({ id: 'lt-files', name: 'lt-files', public: false })
		});
		expect(made.ok).toBe(true);
		const total = LIMITS.fileBytes + LIMITS.multipartOverheadBytes + MB;
		const { status, body, sent } = await sendLarge(
			'/storage/v1/object/lt-files/big.bin',
			total,
			headers,
			true
		);
		expect(status).toBe(413);
		expect(JSON.parse(body)).toMatchObject({ statusCode: '413', error: 'Payload too large' });
		expect(sent).toBeLessThan(total);
		// A bucket's own lower limit bounds what is read of an upload to it.
		await fetch(`${stack.url}/storage/v1/bucket`, {
			method: 'POST',
			headers: { ...headers, 'content-type': 'application/json' },
			body: JSON.stringify({ id: 'lt-small', name: 'lt-small', public: false, file_size_limit: MB })
		});
		const tooBig = await sendLarge('/storage/v1/object/lt-small/big.bin', 40 * MB, headers, true);
		expect(tooBig.status).toBe(413);
		expect(tooBig.sent).toBeLessThan(16 * MB);
		// A file within the limits is stored as before.
		const small = await fetch(`${stack.url}/storage/v1/object/lt-files/small.bin`, {
			method: 'POST',
			headers,
			body: new Uint8Array(2 * MB)
		});
		expect(small.status).toBe(200);
	});
});

describe('rows per write', () => {
	const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ body: `row ${i}` }));

	it(`refuses more than ${LIMITS.rowsPerWrite} rows in one insert or upsert with a PostgREST-shaped 413`, async () => {
		const bulk = await writer.client.from('lt_rows').insert(rows(LIMITS.rowsPerWrite + 1));
		expect(bulk.status).toBe(413);
		expect(bulk.error).toMatchObject({ code: 'PGRST413', message: 'Too many rows in one request' });
		expect(bulk.error?.details).toContain(`${LIMITS.rowsPerWrite + 1} rows`);
		const upsert = await writer.client.from('lt_rows').upsert(rows(5000));
		expect(upsert.status).toBe(413);
		const [{ n }] = await stack.sql<{ n: number }>('select count(*)::int as n from public.lt_rows');
		expect(n).toBe(0);
		const allowed = await writer.client.from('lt_rows').insert(rows(LIMITS.rowsPerWrite));
		expect(allowed.status).toBe(201);
		await stack.sql('delete from public.lt_rows');
	});

	it('a member’s 10,000-row insert does not stall another client (nor do the largest inserts allowed)', async () => {
		/** Another client's simple read, again and again while `work` runs; its latencies in ms. */
		const meanwhile = async (work: Promise<unknown>) => {
			let done = false;
			void work.finally(() => (done = true));
			const took: number[] = [];
			while (!done || took.length < 3) {
				const started = performance.now();
				const { error } = await reader.client.from('lt_rows').select('id').limit(1);
				expect(error).toBeNull();
				took.push(performance.now() - started);
			}
			await work;
			return took.sort((a, b) => a - b);
		};
		const figures = (ms: number[]) =>
			`${ms.length} reads, p50 ${ms[ms.length >> 1].toFixed(0)} ms, max ${ms.at(-1)!.toFixed(0)} ms`;

		let bulkMs = 0;
		const bulk = meanwhile(
			(async () => {
				const started = performance.now();
				const { status } = await writer.client.from('lt_rows').insert(rows(10_000));
				bulkMs = performance.now() - started;
				expect(status).toBe(413);
			})()
		);
		const duringBulk = await bulk;
		const duringAllowed = await meanwhile(
			(async () => {
				for (let i = 0; i < 5; i++) {
					const { status } = await writer.client.from('lt_rows').insert(rows(LIMITS.rowsPerWrite));
					expect(status).toBe(201);
				}
			})()
		);
		console.log(
			`10,000-row insert refused in ${bulkMs.toFixed(0)} ms; other client meanwhile: ${figures(duringBulk)}\n` +
				`5 × ${LIMITS.rowsPerWrite}-row inserts; other client meanwhile: ${figures(duringAllowed)}`
		);
		expect(bulkMs).toBeLessThan(1_000);
		expect(duringBulk.at(-1)).toBeLessThan(1_000);
		expect(duringAllowed.at(-1)).toBeLessThan(3_000);
	});
});

describe('user metadata', () => {
	const signUp = (data: unknown) =>
		fetch(`${stack.url}/auth/v1/signup`, {
			method: 'POST',
			headers: { apikey: stack.publishableKey, 'content-type': 'application/json' },
			body: JSON.stringify({
				email: `meta${crypto.randomUUID()}@example.org`,
				password: 'correct horse',
				data
			})
		});
	const users = async () =>
		(await stack.sql<{ n: number }>('select count(*)::int as n from auth.users'))[0].n;

	it('a 10 MB `data` on an unauthenticated sign-up is refused before anything is stored', async () => {
		const before = await users();
		const huge = await signUp({ bio: 'x'.repeat(10 * MB) });
		expect(huge.status).toBe(413);
		expect(await huge.json()).toMatchObject({ error_code: 'request_too_large' });
		const over = await signUp({ bio: 'x'.repeat(LIMITS.userMetadataBytes) });
		expect(over.status).toBe(400);
		expect(await over.json()).toMatchObject({ code: 400, error_code: 'validation_failed' });
		expect(await users()).toBe(before);
		const fine = await signUp({ display_name: 'Chị Lan', bio: 'x'.repeat(LIMITS.userMetadataBytes - 100) });
		expect(fine.status).toBe(200);
		expect(await users()).toBe(before + 1);
	});

	it('a signed-in user cannot grow their metadata past the limit either', async () => {
		const big = await writer.client.auth.updateUser({ data: { bio: 'x'.repeat(LIMITS.userMetadataBytes) } });
		expect(big.error?.status).toBe(400);
		const small = await writer.client.auth.updateUser({ data: { bio: 'short' } });
		expect(small.error).toBeNull();
	});
});

describe('database refusals answer as PostgREST does', () => {
	// PostgREST.Error.pgErrorStatus: 23505/23503 → 409, 42501 → 403 (401 anon),
	// P0001 and every other code not listed there (23514, 23502, 22001, 22P02) → 400.
	const insert = (row: Record<string, unknown>) => writer.client.from('lt_rows').insert(row);

	it('check (23514), not-null (23502), too long (22001) and bad input (22P02) are 400 with the SQLSTATE', async () => {
		const cases: [Record<string, unknown>, string][] = [
			[{ body: 'far too long for the check constraint' }, '23514'],
			[{ body: null }, '23502'],
			[{ body: 'ok', code: 'ABCD' }, '22001'],
			[{ body: 'ok', n: 'many' }, '22P02'],
			[{ id: 'not-a-uuid', body: 'ok' }, '22P02']
		];
		for (const [row, code] of cases) {
			const { status, error } = await insert(row);
			expect({ status, code: error?.code }).toEqual({ status: 400, code });
		}
		const { error } = await insert({ body: 'far too long for the check constraint' });
		// The constraint's name comes through, which the app's forms read.
		expect(error?.message).toContain('lt_rows_body_check');
	});

	it('a duplicate key (23505) is 409, RLS (42501) 403, and raise exception (P0001) 400 with its hint', async () => {
		const id = crypto.randomUUID();
		expect((await insert({ id, body: 'first' })).status).toBe(201);
		const duplicate = await insert({ id, body: 'again' });
		expect({ status: duplicate.status, code: duplicate.error?.code }).toEqual({ status: 409, code: '23505' });
		const forged = await insert({ body: 'not mine', owner: reader.id });
		expect({ status: forged.status, code: forged.error?.code }).toEqual({ status: 403, code: '42501' });
		const raised = await anonClient(stack).rpc('lt_refuse');
		expect(raised.status).toBe(400);
		expect(raised.error).toMatchObject({ code: 'P0001', message: 'not_allowed', hint: 'ask a facilitator' });
	});
});

describe('a browser calling a database function from another origin', () => {
	it('gets its CORS preflight answered, and the function does not run for it', async () => {
		const preflight = await fetch(`${stack.url}/rest/v1/rpc/lt_count_call`, {
			method: 'OPTIONS',
			headers: {
				origin: 'http://app.example',
				'access-control-request-method': 'POST',
				'access-control-request-headers': 'apikey,authorization,content-type,x-client-info'
			}
		});
		expect(preflight.status).toBe(200);
		expect(preflight.headers.get('access-control-allow-origin')).toBe('http://app.example');
		expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
		expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
		// The preflight ran nothing: the first real call is call number 1.
		const call = await anonClient(stack).rpc('lt_count_call', { p_note: 'real' });
		expect(call.error).toBeNull();
		expect(call.data as unknown).toBe(1);
	});
});
