// The draft log between the phone and the app server as bytes, not base64 in
// JSON (a third smaller on the slowest link, and no decoding on the phone).
// A catch-up answer is one binary body: a 4-byte length, a small JSON header
// (numbers and lengths), then the snapshot and the updates back to back.
// Between the app server and the database the log stays base64 (PostgREST
// speaks JSON), and so do Realtime messages.
import type { CatchUp } from './queries';

type Header = {
	epoch: number;
	headSeq: number;
	snapshotSeq: number;
	/** The snapshot's length, or null when there is none. */
	snapshot: number | null;
	/** Each update's number and length, in order. */
	updates: [number, number][];
};

export const WIRE_TYPE = 'application/vnd.sahakum.draft-log';

export function encodeCatchUp(page: CatchUp): Uint8Array {
	const header: Header = {
		epoch: page.epoch,
		headSeq: page.headSeq,
		snapshotSeq: page.snapshotSeq,
		snapshot: page.snapshot ? page.snapshot.length : null,
		updates: page.updates.map((u) => [u.seq, u.data.length])
	};
	const head = new TextEncoder().encode(JSON.stringify(header));
	const parts = [page.snapshot ?? new Uint8Array(), ...page.updates.map((u) => u.data)];
	const out = new Uint8Array(4 + head.length + parts.reduce((n, p) => n + p.length, 0));
	new DataView(out.buffer).setUint32(0, head.length);
	out.set(head, 4);
	let at = 4 + head.length;
	for (const part of parts) {
		out.set(part, at);
		at += part.length;
	}
	return out;
}

/** Throws on a body that is not one (the caller treats it as a failed request and tries again). */
export function decodeCatchUp(bytes: Uint8Array): CatchUp {
	const headLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
	const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headLength))) as Header;
	let at = 4 + headLength;
	const take = (length: number) => {
		if (at + length > bytes.length) throw new Error('truncated');
		const part = bytes.subarray(at, at + length);
		at += length;
		return part;
	};
	const snapshot = header.snapshot === null ? null : take(header.snapshot);
	return {
		epoch: header.epoch,
		headSeq: header.headSeq,
		snapshotSeq: header.snapshotSeq,
		snapshot,
		updates: header.updates.map(([seq, length]) => ({ seq, data: take(length) }))
	};
}
