import { describe, expect, it } from 'vitest';
import { actionsCsv } from './csv';

type Action = Parameters<typeof actionsCsv>[0][number];

const action = {
	description: '=Mở cổng đến 23 giờ',
	owner_kind: 'club',
	owner_name: '',
	owner_organisation: null,
	supporting: '',
	due_on: '2027-01-04',
	status: 'in_progress',
	overdue: true,
	done_at: null,
	dialogue_title: 'Đối thoại với chủ nhà trọ',
	progress: { body: 'Đã gặp chủ nhà', created_at: '2027-01-02T10:00:00Z' }
} as unknown as Action;

describe('actionsCsv', () => {
	it('speaks the reader’s language: headers, statuses, yes/no; a BOM; formulas disarmed', () => {
		const km = actionsCsv([action], 'CLB Khai Quang', 'km');
		expect(km.startsWith('\ufeff"សកម្មភាព","អ្នកទទួលខុសត្រូវ"')).toBe(true);
		expect(km).toContain('"2027-01-04","កំពុងអនុវត្ត","បាទ/ចាស"');
		const vi = actionsCsv([action], 'CLB Khai Quang', 'vi');
		expect(vi).toContain('"Hành động","Người chịu trách nhiệm"');
		expect(vi).toContain('"có"');
		expect(vi).toContain(`"'=Mở cổng đến 23 giờ"`);
		expect(actionsCsv([action], 'CLB Khai Quang', 'en')).toContain('"In progress","yes"');
	});
});
