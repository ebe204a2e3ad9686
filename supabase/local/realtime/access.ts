// Access to private channels (hosted: Realtime.Tenants.Authorization), kept
// fresh: a channel's read decision is reused for at most authTtlMs before anything
// is delivered on its topic, stale readers of a topic are re-checked in one
// transaction, idle topics are swept, and a channel that lost read access closes.
// The probes themselves are in queries.ts.
import { enqueue } from './fanout';
import { checkRead, checkWrite, type ReadResult } from './queries';
import { shutdown } from './channels';
import { isPrivateNs, namespace, type Channel, type Decision, type Hub } from './types';

/**
 * Re-checks RLS for the private channels of a topic whose decision is older than
 * maxAgeMs (0 = all), in one transaction, and closes those that lost read access.
 * Returns false when the database could not answer (then nothing is delivered).
 */
export async function refreshReads(hub: Hub, ns: string, maxAgeMs: number): Promise<boolean> {
	const at = Date.now();
	const stale = [...(hub.topics.get(ns) ?? [])].filter((c) => !c.closed && at - c.read!.at >= maxAgeMs);
	if (stale.length === 0) return true;
	let results: Map<string, ReadResult>;
	try {
		results = await checkRead(
			hub.db,
			stale[0].sub,
			stale.map((c) => c.identity),
			stale.some((c) => c.presenceEnabled)
		);
	} catch (error) {
		if (!hub.closed) hub.log(`realtime: authorization for ${stale[0].sub} failed: ${String(error)}`);
		return false;
	}
	for (const channel of stale) {
		const result = results.get(channel.identity.key);
		if (channel.closed || !result) continue;
		if (result.error) hub.log(`realtime: RlsPolicyError on ${channel.sub}: ${result.error}`);
		applyRead(hub, channel, channel.read!, result, at);
	}
	return true;
}

/** Hosted closes a channel when a read permission it had is gone. Returns false if closed. */
export function applyRead(
	hub: Hub,
	channel: Channel,
	previous: Decision,
	result: ReadResult,
	at: number
): boolean {
	const next: Decision = {
		broadcast: result.broadcast,
		presence: channel.presenceEnabled ? result.presence : previous.presence,
		at
	};
	const revoked =
		(previous.broadcast && !next.broadcast) || (previous.presence === true && next.presence === false);
	if (revoked || (!next.broadcast && !next.presence)) {
		shutdown(hub, channel, `You no longer have permission to read from this Channel topic: ${channel.sub}`);
		return false;
	}
	channel.read = next;
	return true;
}

/** May this channel send broadcasts / track presence? Reused for authTtlMs. */
export async function ensureWrite(hub: Hub, channel: Channel): Promise<NonNullable<Channel['write']>> {
	const now = Date.now();
	if (channel.write && now - channel.write.at < hub.settings.authTtlMs) return channel.write;
	try {
		const result = await checkWrite(hub.db, channel.sub, channel.identity);
		if (result.error) hub.log(`realtime: RlsPolicyError on ${channel.sub}: ${result.error}`);
		channel.write = { broadcast: result.broadcast, presence: result.presence, at: now };
	} catch (error) {
		hub.log(`realtime: write authorization for ${channel.sub} failed: ${String(error)}`);
		return { broadcast: false, presence: false, at: now };
	}
	return channel.write;
}

export function canReadPresence(channel: Channel): boolean {
	return !channel.isPrivate || channel.read?.presence === true;
}

/** Channels with no traffic are re-checked too, so a removal is noticed without any message. */
export function sweepAuthorization(hub: Hub): void {
	for (const ns of hub.topics.keys()) {
		if (isPrivateNs(ns)) {
			void enqueue(hub, ns, async () => void (await refreshReads(hub, ns, hub.settings.idleRecheckMs)));
		}
	}
}

export async function reauthorize(hub: Hub, topic?: string): Promise<void> {
	const namespaces = [...hub.topics.keys()].filter(
		(ns) => isPrivateNs(ns) && (topic === undefined || ns === namespace(true, topic))
	);
	await Promise.all(
		namespaces.map((ns) => enqueue(hub, ns, async () => void (await refreshReads(hub, ns, 0))))
	);
}
