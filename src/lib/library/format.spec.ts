import { describe, expect, it } from 'vitest';
import { formatBytes } from './format';

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
