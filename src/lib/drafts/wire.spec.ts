import { describe, expect, it } from 'vitest';
import { decodeCatchUp, encodeCatchUp } from './wire';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('the draft log as bytes', () => {
	it('a catch-up comes back as it went, a third smaller than base64 in JSON', () => {
		const snapshot = crypto.getRandomValues(new Uint8Array(30_000));
		const page = {
			epoch: 2,
			headSeq: 41,
			snapshotSeq: 39,
			snapshot,
			updates: [
				{ seq: 40, data: bytes(1, 2, 3) },
				{ seq: 41, data: bytes() }
			]
		};
		const wire = encodeCatchUp(page);
		expect(decodeCatchUp(wire)).toEqual(page);
		const json = JSON.stringify({
			...page,
			snapshot: Buffer.from(snapshot).toString('base64'),
			updates: page.updates.map((u) => ({ seq: u.seq, data: Buffer.from(u.data).toString('base64') }))
		});
		expect(wire.length).toBeLessThan(0.76 * json.length);
	});

	it('no snapshot and no updates; a body cut short is refused, not half applied', () => {
		const page = { epoch: 0, headSeq: 3, snapshotSeq: 3, snapshot: null, updates: [] };
		expect(decodeCatchUp(encodeCatchUp(page))).toEqual(page);
		const full = encodeCatchUp({ ...page, updates: [{ seq: 4, data: bytes(9, 9, 9, 9) }] });
		expect(() => decodeCatchUp(full.subarray(0, full.length - 1))).toThrow('truncated');
	});
});
