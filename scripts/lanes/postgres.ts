// `npm run test:postgres [-- <vitest filters>]`: the integration and platform tests
// again, on a real PostgreSQL instead of PGlite (the DATABASE_URL mode people
// self-host with). A throwaway cluster in a temporary folder, on a free port,
// with fsync off (nothing in it outlives the run); each test stack gets its own
// database copied from a template that already has the migrations.
//
// Needs Debian's PostgreSQL server binaries (`postgresql`, which brings the
// contrib extensions pg_trgm, unaccent, pgcrypto). Installed with apt when
// missing and running as root; otherwise says what to install. PostgreSQL
// refuses to run as root, so as root the cluster runs as the `postgres` user.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../free-port';

const started = Date.now();
const log = (line: string) => console.log(`[postgres-lane] ${line}`);

function findBin(): string | null {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return null;
	const versions = readdirSync(root)
		.filter((v) => existsSync(join(root, v, 'bin/initdb')))
		.sort((a, b) => Number(b) - Number(a));
	const chosen = versions.includes('15') ? '15' : versions[0];
	return chosen ? join(root, chosen, 'bin') : null;
}

const isRoot = process.getuid?.() === 0;
let bin = findBin();
if (!bin) {
	if (!isRoot || !existsSync('/usr/bin/apt-get')) {
		console.error(
			'[postgres-lane] PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin.\n' +
				'  Install them (Debian/Ubuntu: sudo apt-get install postgresql) and run again.'
		);
		process.exit(1);
	}
	log('PostgreSQL not found: installing it with apt-get (postgresql, with contrib)…');
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'postgresql']]) {
		if (spawnSync('apt-get', args, { stdio: 'inherit', env }).status !== 0) {
			console.error(`[postgres-lane] apt-get ${args.join(' ')} failed`);
			process.exit(1);
		}
	}
	bin = findBin();
	if (!bin) {
		console.error('[postgres-lane] apt-get finished but no initdb was found');
		process.exit(1);
	}
}
const share = execFileSync(join(bin, 'pg_config'), ['--sharedir'], { encoding: 'utf8' }).trim();
for (const extension of ['pg_trgm', 'unaccent', 'pgcrypto']) {
	if (!existsSync(join(share, 'extension', `${extension}.control`))) {
		console.error(
			`[postgres-lane] the ${extension} extension is missing (${share}/extension); install postgresql-contrib`
		);
		process.exit(1);
	}
}

/** Runs a PostgreSQL program, as the `postgres` user when we are root. */
function pg(program: string, args: string[]): void {
	const command = join(bin!, program);
	const [file, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
	const result = spawnSync(file, argv, { cwd: work, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
	if (result.status !== 0) {
		throw new Error(`${program} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
	}
}

const work = mkdtempSync(join(tmpdir(), 'sahakum-pg-'));
const data = join(work, 'data');
if (isRoot) {
	execFileSync('chown', ['postgres:postgres', work]);
	chmodSync(work, 0o700);
}
const port = await freePort();
let running = false;

function stop(): void {
	if (running) {
		running = false;
		try {
			pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
		} catch (error) {
			console.error(`[postgres-lane] ${(error as Error).message}`);
		}
	}
	rmSync(work, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => {
		stop();
		process.exit(130);
	});
}

let status = 1;
try {
	log(`cluster in ${work} on port ${port} (${bin})`);
	pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
	const settings = [
		`-p ${port}`,
		`-k ${work}`,
		'-c listen_addresses=127.0.0.1',
		'-c max_connections=200',
		// A throwaway cluster: durability buys nothing here.
		'-c fsync=off',
		'-c synchronous_commit=off',
		'-c full_page_writes=off'
	].join(' ');
	pg('pg_ctl', ['-D', data, '-l', join(work, 'postgres.log'), '-o', settings, '-w', 'start']);
	running = true;
	const server = `postgres://postgres@127.0.0.1:${port}/postgres`;

	// A template with the platform shim and every migration applied, so each test
	// stack starts from a copy instead of migrating again.
	const { default: postgres } = await import('postgres');
	const admin = postgres(server, { max: 1, onnotice: () => undefined });
	await admin.unsafe('create database sahakum_template');
	await admin.end();
	const { startStack } = await import('../../supabase/local/stack');
	const t0 = Date.now();
	const template = await startStack({
		port: 0,
		dataDir: null,
		seed: false,
		databaseUrl: `postgres://postgres@127.0.0.1:${port}/sahakum_template`,
		log: () => undefined
	});
	await template.stop();
	log(`template database ready (${Date.now() - t0} ms)`);

	const projects = ['--project', 'integration', '--project', 'platform'];
	const result = spawnSync('npx', ['vitest', 'run', ...projects, ...process.argv.slice(2)], {
		stdio: 'inherit',
		env: {
			...process.env,
			TEST_DATABASE_URL: server,
			TEST_DATABASE_TEMPLATE: 'sahakum_template',
			FORCE_COLOR: '0'
		}
	});
	status = result.status ?? 1;
} catch (error) {
	console.error(`[postgres-lane] ${(error instanceof Error ? error.stack : undefined) ?? String(error)}`);
} finally {
	stop();
}
log(`${status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(status);
