import { describe, expect, it } from 'vitest';
import { diffLines, projectionLines } from './diff';

describe('version comparison', () => {
	it('marks added and removed lines and keeps the rest', () => {
		expect(diffLines(['a', 'b', 'c'], ['a', 'c', 'd'])).toEqual([
			{ kind: 'same', text: 'a' },
			{ kind: 'removed', text: 'b' },
			{ kind: 'same', text: 'c' },
			{ kind: 'added', text: 'd' }
		]);
	});

	it('reads a budget line with its exact total', () => {
		const lines = projectionLines(
			{
				sections: [],
				budget: {
					currency: 'USD',
					groups: [
						{
							id: 'g',
							name: 'Travel',
							lines: [
								{ id: 'l', category: '', description: 'Bus', quantity: '3', unit: 'trips', unit_cost: '0.1' }
							]
						}
					]
				},
				activities: []
			},
			{ budget: 'Budget', plan: 'Plan' }
		);
		expect(lines).toContain('Bus: 3 trips × 0.1 = 0.30 USD');
	});
});
