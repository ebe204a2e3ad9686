// The Realtime server's database queries, through the stack's database gate
// (../db-gate.ts): RLS authorization probes on realtime.messages, reading and
// replaying messages, pruning old ones. LISTEN goes through the gate directly.
import { randomUUID } from 'node:crypto';
import { setContext, type DbGate } from '../db-gate';
import type { Identity } from '../jwt';

/** The NOTIFY channel realtime/shim.sql's trigger announces committed messages on. */
export const NOTIFY_CHANNEL = 'realtime_local_messages';

// Authorization, the way hosted Realtime does it (Realtime.Tenants.Authorization):
// read  = insert probe rows into realtime.messages as the owner, then SELECT them
//         back as the user's role with the user's claims and realtime.topic set;
// write = INSERT a row as the user's role; an RLS refusal means no.
// Everything happens in a transaction that is rolled back.

export type Extension = 'broadcast' | 'presence';
export interface ReadResult {
	broadcast: boolean;
	/** null when presence was not asked about. */
	presence: boolean | null;
	/** A policy raised an error: hosted treats that as not authorized. */
	error?: string;
}
export type WriteResult = Record<Extension, boolean> & { error?: string };

/**
 * Read authorization for several identities on one topic, in one transaction
 * and one call (realtime.local_check_reads in shim.sql runs the per-identity
 * steps inside the database, each in its own subtransaction).
 */
export async function checkRead(
	db: DbGate,
	topic: string,
	identities: Identity[],
	withPresence: boolean
): Promise<Map<string, ReadResult>> {
	const probes: Record<Extension, string> = { broadcast: randomUUID(), presence: randomUUID() };
	const unique = [...new Map(identities.map((identity) => [identity.key, identity])).values()];
	return db.rolledBack(async (tx) => {
		await tx.query(
			`insert into realtime.messages (id, topic, extension) values ($1, $3, 'broadcast'), ($2, $3, 'presence')`,
			[probes.broadcast, probes.presence, topic]
		);
		const [{ seen }] = await tx.query<{ seen: Record<string, string[] | { error: string }> }>(
			'select realtime.local_check_reads($1, $2::jsonb, $3::uuid[]) as seen',
			[
				topic,
				JSON.stringify(unique.map(({ key, role, claims }) => ({ key, role, claims }))),
				`{${probes.broadcast},${probes.presence}}`
			]
		);
		const results = new Map<string, ReadResult>();
		for (const { key } of unique) {
			const answer = seen[key];
			if (!answer || !Array.isArray(answer)) {
				results.set(key, {
					broadcast: false,
					presence: withPresence ? false : null,
					error: answer && 'error' in answer ? answer.error : 'no answer'
				});
				continue;
			}
			results.set(key, {
				broadcast: answer.includes(probes.broadcast),
				presence: withPresence ? answer.includes(probes.presence) : null
			});
		}
		return results;
	});
}

/** Write authorization (may this identity send broadcast / track presence on the topic?). */
export async function checkWrite(db: DbGate, topic: string, identity: Identity): Promise<WriteResult> {
	return db.rolledBack(async (tx) => {
		const result: WriteResult = { broadcast: false, presence: false };
		try {
			await setContext(tx, identity, topic);
		} catch (error) {
			return { ...result, error: message(error) };
		}
		for (const extension of ['broadcast', 'presence'] as const) {
			await tx.query('savepoint realtime_write');
			try {
				await tx.query(`insert into realtime.messages (topic, extension) values ($1, $2)`, [
					topic,
					extension
				]);
				result[extension] = true;
			} catch (error) {
				// 42501 = RLS refused the row (or no INSERT grant): simply "no".
				if ((error as { code?: string }).code !== '42501') result.error = message(error);
			}
			await tx.query('rollback to savepoint realtime_write');
		}
		return result;
	});
}

export interface StoredMessage {
	topic: string;
	event: string;
	private: boolean;
	payload: string | null;
	binary: string | null;
}

/** Reads a message whose payload was too large to ride along in the notification. */
export async function readMessage(db: DbGate, id: string): Promise<StoredMessage | undefined> {
	const rows = await db.query<StoredMessage>(
		`select topic, event, coalesce(private, false) as private, payload::text as payload,
		        encode(binary_payload, 'base64') as binary
		   from realtime.messages where id = $1::uuid limit 1`,
		[id]
	);
	return rows[0];
}

/**
 * Broadcast replay (hosted: `Realtime.Messages.replay`): the newest `limit`
 * messages from the database on a private topic since `sinceMs`, oldest first.
 */
export async function replayMessages(
	db: DbGate,
	topic: string,
	sinceMs: number,
	limit: number
): Promise<(StoredMessage & { id: string })[]> {
	const rows = await db.query<StoredMessage & { id: string }>(
		`select id::text, topic, event, true as private, payload::text as payload,
		        encode(binary_payload, 'base64') as binary
		   from realtime.messages
		  where topic = $1 and private is true and extension = 'broadcast' and event is not null
		    and inserted_at >= (to_timestamp($2::double precision / 1000) at time zone 'UTC')
		  order by inserted_at desc, local_seq desc
		  limit $3`,
		[topic, sinceMs, limit]
	);
	return rows.reverse();
}

/** Hosted Realtime drops message partitions after a few days; keep the local table small the same way. */
export async function pruneMessages(db: DbGate): Promise<void> {
	await db.query(`delete from realtime.messages where inserted_at < now() - interval '3 days'`);
}

function message(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
