// The local stack's Realtime server: what @supabase/realtime-js expects at
// /realtime/v1/websocket (broadcast, presence, private channels authorized by RLS
// on realtime.messages, broadcast from the database). See ../README.md, "Realtime".
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { DbGate } from '../db-gate';
import { Realtime, type RealtimeOptions, type RealtimeServer } from './server';

export type { RealtimeOptions, RealtimeServer, RealtimeStats } from './server';

/** The parts of the local stack the Realtime server needs. */
export interface RealtimeHost {
	/** The stack's database gate: the server never queries lite's connection directly. */
	gate: DbGate;
	publishableKey: string;
	secretKey: string;
	jwtSecret: string;
	onUpgrade(handler: (request: IncomingMessage, socket: Duplex, head: Buffer) => boolean): void;
}

export async function attachRealtime(
	stack: RealtimeHost,
	options: RealtimeOptions = {}
): Promise<RealtimeServer> {
	const server = new Realtime(stack.gate, stack, options);
	try {
		await server.start();
	} catch (error) {
		await server.close();
		throw error;
	}
	stack.onUpgrade((request, socket, head) => server.handleUpgrade(request, socket, head));
	return server;
}
