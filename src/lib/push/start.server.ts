// Starts the push worker with the server (hooks.server.ts `init`): only when
// server.js set SAHAKUM_PUSH_WORKER=on (not in `vite dev`, nor while building).
import { env as privateEnv } from '$env/dynamic/private';
import { env as publicEnv } from '$env/dynamic/public';
import { startPushWorkerFromEnv } from './worker.server';

export function startPushWorkerWithServer(): void {
	startPushWorkerFromEnv({ ...privateEnv, ...publicEnv });
}
