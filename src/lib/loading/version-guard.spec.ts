import { describe, expect, it } from 'vitest';
import { CHECKED, installedVersion, outOfRange } from './version-guard';

describe('the loading layer version guard', () => {
	it('passes the installed kit, svelte and vite', () => {
		expect(outOfRange(installedVersion)).toEqual([]);
	});

	it('names a package below, at the end of, or past its checked range', () => {
		const checked = { '@sveltejs/kit': { from: '2.70.4', below: '2.71.0' } };
		expect(outOfRange(() => '2.70.3', checked)).toHaveLength(1);
		expect(outOfRange(() => '2.70.9', checked)).toEqual([]);
		expect(outOfRange(() => '2.71.0', checked)).toHaveLength(1);
		expect(outOfRange(() => '3.2.0', checked)).toEqual([
			'@sveltejs/kit 3.2.0 is outside the checked range >=2.70.4 <2.71.0'
		]);
		expect(Object.keys(CHECKED).sort()).toEqual(['@sveltejs/kit', 'svelte', 'vite']);
	});
});
