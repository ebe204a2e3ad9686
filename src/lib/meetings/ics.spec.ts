import { describe, expect, it } from 'vitest';
import { calendar, fold } from './ics';

describe('ics', () => {
	it('escapes text, uses UTC times and CRLF', () => {
		const text = calendar(
			[
				{
					uid: 'a',
					start: '2027-01-10T12:30:00.000Z',
					minutes: 90,
					summary: 'Họp; BHXH, tháng 1',
					location: 'Nhà văn hoá'
				}
			],
			'CLB',
			'2027-01-01T00:00:00.000Z'
		);
		expect(text).toContain('DTSTART:20270110T123000Z\r\n');
		expect(text).toContain('DTEND:20270110T140000Z\r\n');
		expect(text).toContain('SUMMARY:Họp\\; BHXH\\, tháng 1\r\n');
		expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
	});

	it('folds long lines at 75 octets without splitting a character', () => {
		const line = 'SUMMARY:' + 'ការប្រជុំក្លឹប'.repeat(10);
		const folded = fold(line);
		for (const part of folded.split('\r\n'))
			expect(new TextEncoder().encode(part).length).toBeLessThanOrEqual(75);
		expect(folded.replace(/\r\n /g, '')).toBe(line);
	});
});
