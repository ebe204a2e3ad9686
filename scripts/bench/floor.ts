// The bare-SvelteKit floor of issue 14: bench/fixtures/floor (30 posts from a
// server load, `/` hydrated and `/no-csr` with `csr = false`) built in the
// same run with the project's own kit, svelte, vite and adapter-node (Node
// resolves them from the project's node_modules, so no installs), then served
// by adapter-node's own entry on a free port. The build lands in a temp dir.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../free-port';

const fixture = resolve(import.meta.dirname, '../../bench/fixtures/floor');
const vite = resolve(import.meta.dirname, '../../node_modules/vite/bin/vite.js');

export interface ServedFloor {
	/** The hydrated page. */
	hydrated: string;
	/** The same page with `csr = false`. */
	noCsr: string;
	stop(): Promise<void>;
}

export async function serveFloor(): Promise<ServedFloor> {
	const out = mkdtempSync(join(tmpdir(), 'sahakum-floor-'));
	// Kit reads svelte.config.js from the working directory, hence cwd.
	const built = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'error'], {
		cwd: fixture,
		env: { ...process.env, FLOOR_OUT: out },
		encoding: 'utf8'
	});
	if (built.status !== 0) throw new Error(`building the floor app failed:\n${built.stdout}\n${built.stderr}`);
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const server = spawn(process.execPath, [join(out, 'index.js')], {
		stdio: 'ignore',
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: url }
	});
	for (
		let i = 0;
		!(await fetch(url).then(
			(r) => r.ok,
			() => false
		));
		i++
	) {
		if (i > 100 || server.exitCode !== null) throw new Error('the floor app did not start');
		await new Promise((r) => setTimeout(r, 100));
	}
	return {
		hydrated: `${url}/`,
		noCsr: `${url}/no-csr`,
		async stop() {
			if (server.exitCode === null) {
				server.kill('SIGTERM');
				await new Promise((r) => server.once('exit', r));
			}
			rmSync(out, { recursive: true, force: true });
		}
	};
}
