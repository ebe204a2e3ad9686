// Checking another editor's cursor message before it is shown. The database
// stamps each one with its sender (draft_awareness); the message itself is
// a y-protocols awareness update that the sender wrote, so it could name any
// awareness client and any name. Accepted: exactly one client, not ours,
// that nobody else has used before; its shown name is replaced by the name
// the database gave. The encoding is lib0's: a varUint count, then per
// client a varUint id, a varUint clock and a varString of JSON state.
import { fromBase64 } from './base64';

function readVarUint(bytes: Uint8Array, at: { i: number }): number {
	let value = 0;
	let multiplier = 1;
	for (;;) {
		if (at.i >= bytes.length) throw new Error('truncated');
		const byte = bytes[at.i++];
		value += (byte & 0x7f) * multiplier;
		if (byte < 0x80) return value;
		multiplier *= 128;
		if (multiplier > 2 ** 53) throw new Error('too long');
	}
}

function writeVarUint(out: number[], value: number) {
	while (value > 0x7f) {
		out.push(0x80 | (value & 0x7f));
		value = Math.floor(value / 128);
	}
	out.push(value);
}

type Entry = { client: number; clock: number; state: unknown };

function decodeAwareness(bytes: Uint8Array): Entry[] {
	const at = { i: 0 };
	const count = readVarUint(bytes, at);
	const entries: Entry[] = [];
	for (let n = 0; n < count; n++) {
		const client = readVarUint(bytes, at);
		const clock = readVarUint(bytes, at);
		const length = readVarUint(bytes, at);
		if (at.i + length > bytes.length) throw new Error('truncated');
		const json = new TextDecoder().decode(bytes.subarray(at.i, at.i + length));
		at.i += length;
		entries.push({ client, clock, state: JSON.parse(json) });
	}
	return entries;
}

function encodeAwareness(entries: Entry[]): Uint8Array {
	const out: number[] = [];
	writeVarUint(out, entries.length);
	for (const entry of entries) {
		writeVarUint(out, entry.client);
		writeVarUint(out, entry.clock);
		const json = new TextEncoder().encode(JSON.stringify(entry.state));
		writeVarUint(out, json.length);
		out.push(...json);
	}
	return Uint8Array.from(out);
}

/**
 * The awareness update to apply, or null to ignore it. `owners` remembers
 * which person each client id belongs to (the first sender wins).
 */
export function verifiedAwareness(
	base64: string,
	senderId: string,
	senderName: string,
	context: { own: number; owners: Map<number, string> }
): Uint8Array | null {
	let entries: Entry[];
	try {
		entries = decodeAwareness(fromBase64(base64));
	} catch {
		return null;
	}
	if (entries.length !== 1) return null;
	const [entry] = entries;
	if (entry.client === context.own) return null;
	const owner = context.owners.get(entry.client);
	if (owner !== undefined && owner !== senderId) return null;
	context.owners.set(entry.client, senderId);
	if (entry.state && typeof entry.state === 'object') {
		const state = entry.state as { user?: Record<string, unknown> };
		state.user = { ...(state.user ?? {}), name: senderName, id: senderId };
	}
	return encodeAwareness([entry]);
}
