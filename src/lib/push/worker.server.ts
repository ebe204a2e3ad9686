// The push worker: runs inside the production Node server (server.js turns it
// on; hooks.server.ts starts it once the server is up) and drains push_jobs.
//
// It is the ONE place that uses the secret key (SUPABASE_SECRET_KEY), and only
// for the service_role RPCs of 20261122000800_push.sql: claim, complete, drop
// a phone, queue overdue actions. It never serves a person's request and
// nothing that does imports it.
//
// web-push builds each request (VAPID JWT, aes128gcm encryption) with
// generateRequestDetails; fetch sends it (web-push's own sender refuses plain
// HTTP, which the local push service in the tests speaks).
import webpush from 'web-push';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import type { Database } from '$lib/supabase/database.types';
import { deliveryFor, notificationFor, type PushBundle } from './payload';
import { endpointAllowed } from './endpoint';

export interface PushWorkerConfig {
	supabaseUrl: string;
	secretKey: string;
	vapid: { publicKey: string; privateKey: string; subject: string };
	/** How often the queue is looked at when it is empty (ms). */
	intervalMs: number;
	/** Plain-HTTP endpoints on loopback hosts (never elsewhere): the local push service of the tests only. */
	allowInsecureEndpoints: boolean;
	/** Push services besides the browsers' well-known ones (endpoint.ts). */
	extraPushHosts: string[];
	/** A push service that takes longer than this is retried later (ms). */
	sendTimeoutMs: number;
	log: (line: string) => void;
}

type Env = Record<string, string | undefined>;

/** The worker's settings from the environment, or why it cannot start. */
function pushConfigFromEnv(env: Env): PushWorkerConfig | { missing: string[] } {
	const needed = ['PUBLIC_SUPABASE_URL', 'SUPABASE_SECRET_KEY', 'VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY'];
	const missing = needed.filter((name) => !env[name]);
	if (missing.length) return { missing };
	return {
		supabaseUrl: env.PUBLIC_SUPABASE_URL!,
		secretKey: env.SUPABASE_SECRET_KEY!,
		vapid: {
			publicKey: env.VAPID_PUBLIC_KEY!,
			privateKey: env.VAPID_PRIVATE_KEY!,
			subject: env.VAPID_SUBJECT || 'mailto:push@sahakum.invalid'
		},
		intervalMs: Math.max(200, Number(env.PUSH_WORKER_INTERVAL_MS) || 3000),
		allowInsecureEndpoints: env.PUSH_ALLOW_INSECURE_ENDPOINTS === '1',
		extraPushHosts: (env.PUSH_SERVICE_HOSTS ?? '')
			.split(',')
			.map((host) => host.trim().toLowerCase())
			.filter(Boolean),
		sendTimeoutMs: Math.max(1000, Number(env.PUSH_SEND_TIMEOUT_MS) || 10_000),
		log: (line) => console.log(`[push] ${line}`)
	};
}

type Subscription = { endpoint: string; p256dh: string; auth: string };
type Delivery =
	| { kind: 'sent' }
	| { kind: 'gone'; reason: string }
	| { kind: 'retry'; reason: string; retryAfter?: number }
	| { kind: 'failed'; reason: string };

function retryAfterSeconds(value: string | null): number | undefined {
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds));
	const at = Date.parse(value);
	return Number.isNaN(at) ? undefined : Math.max(0, Math.round((at - Date.now()) / 1000));
}

async function deliver(
	config: PushWorkerConfig,
	subscription: Subscription,
	bundle: PushBundle
): Promise<Delivery> {
	if (!endpointAllowed(subscription.endpoint, config.allowInsecureEndpoints, config.extraPushHosts)) {
		return { kind: 'gone', reason: 'endpoint_not_allowed' };
	}
	const { urgency, ttlSeconds } = deliveryFor(bundle.kind);
	let request: ReturnType<typeof webpush.generateRequestDetails>;
	try {
		request = webpush.generateRequestDetails(
			{ endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
			JSON.stringify(notificationFor(bundle)),
			{ vapidDetails: config.vapid, TTL: ttlSeconds, urgency, contentEncoding: 'aes128gcm' }
		);
	} catch (error) {
		// Keys a push service could never decrypt with: this phone cannot be reached.
		return { kind: 'gone', reason: `bad_keys: ${(error as Error).message}` };
	}
	const headers = Object.fromEntries(
		Object.entries(request.headers).filter(([name]) => name.toLowerCase() !== 'content-length')
	) as Record<string, string>;
	let response: Response;
	try {
		response = await fetch(request.endpoint, {
			method: request.method,
			headers,
			body: request.body ? new Uint8Array(request.body) : null,
			signal: AbortSignal.timeout(config.sendTimeoutMs),
			redirect: 'error'
		});
		await response.body?.cancel();
	} catch (error) {
		const reason =
			(error as Error).name === 'TimeoutError' ? 'timeout' : `network: ${(error as Error).message}`;
		return { kind: 'retry', reason };
	}
	if (response.ok) return { kind: 'sent' };
	const reason = `HTTP ${response.status}`;
	if (response.status === 404 || response.status === 410) return { kind: 'gone', reason };
	if (response.status === 408 || response.status === 429 || response.status >= 500) {
		return { kind: 'retry', reason, retryAfter: retryAfterSeconds(response.headers.get('retry-after')) };
	}
	// 400, 401/403 (keys changed), 413: sending the same again would fail the same way.
	return { kind: 'failed', reason };
}

export interface PushWorker {
	/** One pass: claim, send, record. Resolves to the number of bundles handled. */
	tick(): Promise<number>;
	stop(): Promise<void>;
}

const OVERDUE_EVERY_MS = 10 * 60_000;
const BATCH = 50;

export function startPushWorker(config: PushWorkerConfig, { autorun = true } = {}): PushWorker {
	const db: SupabaseClient<Database> = createClient<Database>(config.supabaseUrl, config.secretKey, {
		auth: { persistSession: false, autoRefreshToken: false },
		// Never subscribes; Node 20 has no global WebSocket for the client it builds.
		realtime: { transport: ws as never }
	});
	let stopped = false;
	let timer: ReturnType<typeof setTimeout> | undefined;
	let running: Promise<number> | undefined;
	let lastOverdue = 0;

	async function handle(bundle: PushBundle) {
		const subscriptions = (bundle.subscriptions ?? []) as Subscription[];
		const results = await Promise.all(subscriptions.map((s) => deliver(config, s, bundle)));
		for (const [i, result] of results.entries()) {
			if (result.kind === 'gone') {
				const { error } = await db.rpc('drop_push_subscription', {
					p_endpoint: subscriptions[i].endpoint,
					p_reason: result.reason
				});
				if (error) config.log(`could not forget a gone phone: ${error.message}`);
			}
		}
		const retry = results.find((r) => r.kind === 'retry');
		const outcome = results.some((r) => r.kind === 'sent')
			? 'sent'
			: retry
				? 'retry'
				: results.every((r) => r.kind === 'gone')
					? 'dropped'
					: 'failed';
		const reasons = results.filter((r) => r.kind !== 'sent').map((r) => ('reason' in r ? r.reason : ''));
		const { error } = await db.rpc('complete_push_jobs', {
			p_jobs: bundle.job_ids,
			p_outcome: outcome,
			p_error: reasons.join('; ') || undefined,
			p_retry_after_seconds: retry && 'retryAfter' in retry ? retry.retryAfter : undefined
		});
		// Not recorded: the lease runs out and a later claim sends again (the same tag
		// replaces it on the phone), rather than losing it.
		if (error) config.log(`could not record a delivery: ${error.message}`);
		if (outcome !== 'sent') config.log(`${bundle.group_key}: ${outcome} (${reasons.join('; ')})`);
	}

	async function tick(): Promise<number> {
		if (Date.now() - lastOverdue > OVERDUE_EVERY_MS) {
			lastOverdue = Date.now();
			const { error } = await db.rpc('queue_due_push_jobs');
			if (error) config.log(`overdue actions: ${error.message}`);
		}
		const { data, error } = await db.rpc('claim_push_jobs', { p_limit: BATCH });
		if (error) {
			config.log(`claim: ${error.message}`);
			return 0;
		}
		for (const bundle of data ?? []) await handle(bundle);
		return data?.length ?? 0;
	}

	function schedule(delay: number) {
		if (stopped || !autorun) return;
		timer = setTimeout(() => {
			running = tick()
				.catch((error: unknown) => {
					config.log(`tick failed: ${(error as Error).message}`);
					return 0;
				})
				.then((handled) => {
					// A full batch: more may be waiting right now.
					schedule(handled >= BATCH ? 0 : config.intervalMs);
					return handled;
				});
		}, delay);
		timer.unref?.();
	}
	schedule(0);

	return {
		tick,
		async stop() {
			stopped = true;
			clearTimeout(timer);
			await running;
		}
	};
}

let started: PushWorker | undefined;

/**
 * Called once at server start (hooks.server.ts `init`): starts the worker when
 * server.js asked for it (SAHAKUM_PUSH_WORKER=on) and everything it needs is set.
 */
export function startPushWorkerFromEnv(env: Env): PushWorker | undefined {
	if (started || env.SAHAKUM_PUSH_WORKER !== 'on') return started;
	const config = pushConfigFromEnv(env);
	if ('missing' in config) {
		console.log(
			`[push] notifications are off: ${config.missing.join(', ')} not set (README, "Push notifications")`
		);
		return undefined;
	}
	started = startPushWorker(config);
	config.log('worker started');
	return started;
}
