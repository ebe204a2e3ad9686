import { describe, expect, it } from 'vitest';
import { formatRelative } from './format';

describe('formatRelative', () => {
	const now = Date.parse('2026-11-22T12:00:00Z');
	it('counts minutes, hours and days, then shows the date', () => {
		expect(formatRelative('2026-11-22T11:59:40Z', now)).toBe('just now');
		expect(formatRelative('2026-11-22T11:45:00Z', now)).toBe('15 min ago');
		expect(formatRelative('2026-11-22T09:00:00Z', now)).toBe('3 h ago');
		expect(formatRelative('2026-11-21T09:00:00Z', now)).toBe('yesterday');
		expect(formatRelative('2026-11-18T12:00:00Z', now)).toBe('4 days ago');
		expect(formatRelative('2026-10-01T12:00:00Z', now)).toMatch(/2026/);
	});
});
