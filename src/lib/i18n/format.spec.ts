import { describe, expect, it } from 'vitest';
import { formatBytes, formatRelative } from './format';

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

describe('formatBytes', () => {
	it('says bytes, kilobytes and megabytes the way people read them', () => {
		expect(formatBytes(300, 'en')).toBe('300 B');
		expect(formatBytes(2048, 'en')).toBe('2 KB');
		expect(formatBytes(1536 * 1024, 'en')).toBe('1.5 MB');
		expect(formatBytes(25 * 1024 * 1024, 'en')).toBe('25 MB');
	});

	it('uses the page language’s decimal mark', () => {
		expect(formatBytes(1536 * 1024, 'vi')).toBe('1,5 MB');
	});
});
