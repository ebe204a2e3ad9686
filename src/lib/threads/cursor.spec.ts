import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor';

describe('thread list cursor', () => {
	it('round-trips', () => {
		const cursor = {
			pinned: false,
			at: '2026-11-22 11:31:50.833+00',
			id: '20000000-0000-4000-a000-000000000001'
		};
		expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
	});

	it('refuses anything else (no injection into the query filter)', () => {
		expect(decodeCursor('1_2026-11-22),id.eq.x_abc')).toBeNull();
		expect(decodeCursor(null)).toBeNull();
		expect(decodeCursor('0_not-a-date_20000000-0000-4000-a000-000000000001')).toBeNull();
	});
});
