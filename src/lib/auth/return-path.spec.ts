import { describe, expect, it } from 'vitest';
import { safeReturnPath } from './return-path';
import { HOSTILE_RETURN_PATHS } from '../../../tests/fixtures/hostile-return-paths';

describe('safeReturnPath', () => {
	it(`refuses ${HOSTILE_RETURN_PATHS.length} ways out of the site`, () => {
		for (const value of HOSTILE_RETURN_PATHS) expect(safeReturnPath(value), JSON.stringify(value)).toBe('/');
		expect(safeReturnPath(null)).toBe('/');
		expect(safeReturnPath(42)).toBe('/');
	});

	it('keeps paths on this site, with their query and fragment', () => {
		expect(safeReturnPath('/spaces/abc?after=2026-01-01#post-1')).toBe('/spaces/abc?after=2026-01-01#post-1');
		expect(safeReturnPath('/join?code=KHAQUANG')).toBe('/join?code=KHAQUANG');
		expect(safeReturnPath('/%2F%2Fevil.example')).toBe('/%2F%2Fevil.example');
		expect(safeReturnPath('/library/../profile')).toBe('/profile');
		expect(safeReturnPath('/tìm-kiếm')).toBe('/t%C3%ACm-ki%E1%BA%BFm');
	});
});
