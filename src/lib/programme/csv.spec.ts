import { describe, expect, it } from 'vitest';
import { figuresCsv, spacesCsv } from './csv';
import type { FiguresResult } from './queries';

const figures = {
	// Two meetings, one a month: the database hides both months and the total.
	meetings_held: { total: null, months: { '2026-10-01': null, '2026-11-01': null }, breakdown: {} },
	meeting_attendance: {
		total: 24,
		months: { '2026-10-01': 15, '2026-11-01': 9 },
		breakdown: { members: 7, participants: 17 }
	},
	meeting_attendance_disability: {
		total: 24,
		months: {},
		breakdown: { with_disability: null, others: null }
	}
};
const result = (parts: string[]): FiguresResult => ({
	period: {
		from: '2026-10-01',
		to: '2026-11-30',
		today: '2026-12-05',
		months: ['2026-10-01', '2026-11-01'],
		clamped: false
	},
	parts,
	network: null,
	spaces: []
});
const rows = (csv: string) => csv.slice(1).split('\r\n');

describe('figuresCsv and the meetings family', () => {
	it('lists the meetings figures, their parts and months, hidden counts in words', () => {
		const csv = rows(figuresCsv(result(['members', 'meetings']), figures, { network: false }));
		expect(csv).toContain(
			'"Meetings and attendance","Meetings held","","fewer than 5","fewer than 5","fewer than 5","' +
				'Meetings that started in the period and were not cancelled, where attendance was taken with someone there (a member marked present, or participants who are not members recorded); by the month they took place. A meeting planned but without attendance is not counted."'
		);
		expect(csv.find((line) => line.startsWith('"Meetings and attendance","Attendance","",'))).toMatch(
			/^"Meetings and attendance","Attendance","","24","15","9",/
		);
		expect(csv).toContain(
			'"Meetings and attendance","Attendance","participants who are not members","17","","",""'
		);
		expect(csv).toContain(
			'"Meetings and attendance","Attendance by declared disability","living with a disability","fewer than 5","","",""'
		);
	});

	it('leaves the family out when the database does not count it', () => {
		const csv = figuresCsv(result(['members']), figures, { network: false });
		expect(csv).not.toContain('Meetings and attendance');
	});

	it('a hidden total is said in words, on the figures and in the table of spaces, never as 0 or a number', () => {
		const csv = rows(figuresCsv(result(['meetings']), figures, { network: false }));
		const held = csv.find((line) => line.startsWith('"Meetings and attendance","Meetings held",'))!;
		expect(held.split('","')[3]).toBe('fewer than 5');
		const spaces = rows(
			spacesCsv({
				...result(['meetings']),
				spaces: [{ id: 'a', name: 'CLB', kind: 'club', sensitive: false, language: 'vi', figures: figures }]
			})
		);
		const header = spaces[0].split('","');
		const row = spaces[1].split('","');
		expect(row[header.indexOf('Meetings held')]).toBe('fewer than 5');
	});
});
