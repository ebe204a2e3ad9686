import { describe, expect, test } from 'vitest';
import { readNewDraftForm } from './form';
import { blankDraft, builtInTemplate } from './templates';
import { sectionsOf } from './doc';

const form = (fields: Record<string, string>) => {
	const data = new FormData();
	for (const [name, value] of Object.entries(fields)) data.set(name, value);
	return data;
};

describe('new drafts', () => {
	test('a blank draft is one empty section headed in the draft language', () => {
		const doc = blankDraft('km');
		expect(sectionsOf(doc).length).toBe(1);
		expect(sectionsOf(doc).get(0).get('heading')).toBe('ផ្នែកថ្មី');
		expect(sectionsOf(builtInTemplate('proposal', 'vi')).length).toBe(8);
	});

	test('the form reads blank, a built-in kind, a saved template and anything else as the proposal', () => {
		const id = crypto.randomUUID();
		const read = (template: string) =>
			readNewDraftForm(form({ id, title: 'Đề xuất', template, language: 'vi' })).values;
		expect(read('builtin:blank')).toMatchObject({ builtin: 'blank', savedTemplate: null });
		expect(read('builtin:budget')).toMatchObject({ builtin: 'budget', savedTemplate: null });
		expect(read(id)).toMatchObject({ builtin: null, savedTemplate: id });
		expect(read('builtin:evil')).toMatchObject({ builtin: 'proposal', template: 'builtin:proposal' });
	});
});
