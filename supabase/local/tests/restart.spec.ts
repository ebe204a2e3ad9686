// A stack that people depend on survives a restart: same keys, sessions issued
// before still valid, stored files still there, and a second stack on the same
// state refused. Runs on PGlite in a directory, and in the real-PostgreSQL lane
// (TEST_DATABASE_URL) in DATABASE_URL mode with a state folder: before that mode
// kept its keys and files in a new temporary folder at every start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirInUseError } from '../lock';
import { startStack, type Stack, type StackOptions } from '../stack';
import { freshDatabase, signedInUser } from './helpers';

const state = mkdtempSync(join(tmpdir(), 'sahakum-restart-'));
const database = process.env.TEST_DATABASE_URL ? await freshDatabase() : null;
const mode = database ? 'DATABASE_URL with a state folder' : 'PGlite in a directory';
const options: StackOptions = {
	port: 0,
	seed: false,
	log: () => undefined,
	...(database ? { databaseUrl: database.url, stateDir: state } : { dataDir: join(state, 'db') })
};
const running: Stack[] = [];

afterAll(async () => {
	for (const stack of running) await stack.stop();
	await database?.drop();
	rmSync(state, { recursive: true, force: true });
});

const secret = (stack: Stack) => ({ apikey: stack.secretKey, authorization: `Bearer ${stack.secretKey}` });

describe(`restart (${mode})`, () => {
	it('keeps the keys, sessions issued before it and stored files; refuses a second stack meanwhile', async () => {
		const first = await startStack(options);
		running.push(first);
		expect(first.stateDir).toBe(state);
		const person = await signedInUser(first, 'Chị Lan');
		const token = (await person.client.auth.getSession()).data.session!.access_token;
		await fetch(`${first.url}/storage/v1/bucket`, {
			method: 'POST',
			headers: { ...secret(first), 'content-type': 'application/json' },
			body: JSON.stringify({ id: 'kept', name: 'kept', public: false })
		});
		const file = new TextEncoder().encode('tài liệu – ឯកសារ');
		const stored = await fetch(`${first.url}/storage/v1/object/kept/notes/a.txt`, {
			method: 'POST',
			headers: { ...secret(first), 'content-type': 'text/plain' },
			body: file
		});
		expect(stored.status).toBe(200);
		// Hosted Storage keeps metadata as a jsonb object; lite on postgres.js once stored a JSON string.
		const [meta] = await first.sql<{ kind: string; size: string }>(
			`select jsonb_typeof(metadata) as kind, metadata->>'size' as size from storage.objects where name = 'notes/a.txt'`
		);
		expect(meta).toEqual({ kind: 'object', size: String(file.byteLength) });

		await expect(startStack(options)).rejects.toThrow(DataDirInUseError);
		await first.stop();
		running.pop();

		const second = await startStack(options);
		running.push(second);
		expect([second.publishableKey, second.secretKey, second.jwtSecret]).toEqual([
			first.publishableKey,
			first.secretKey,
			first.jwtSecret
		]);
		// The token from before the restart still says who this is.
		const me = await fetch(`${second.url}/auth/v1/user`, {
			headers: { apikey: second.publishableKey, authorization: `Bearer ${token}` }
		});
		expect(me.status).toBe(200);
		expect(((await me.json()) as { id: string }).id).toBe(person.id);
		const read = await fetch(`${second.url}/storage/v1/object/kept/notes/a.txt`, { headers: secret(second) });
		expect(read.status).toBe(200);
		expect(new Uint8Array(await read.arrayBuffer())).toEqual(file);
	});
});
