import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { checkFile, readResourceForm } from './form';
import { libraryProblems, storageProblem } from './problems';
import { LIBRARY_MAX_BYTES } from './limits';
import { languagesOf, pgArray } from './values';

const formOf = (fields: Record<string, string | string[]>) => {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) {
		for (const item of [value].flat()) form.append(name, item);
	}
	return form;
};

describe('readResourceForm', () => {
	it('keeps what was typed and reads the languages ticked', () => {
		const { values, ok } = readResourceForm(
			formOf({ title: '  Sổ tay  ', topic: 'health', languages: ['km', 'vi', 'xx'], collection: 'Sức khoẻ' })
		);
		expect(ok).toBe(true);
		expect(values).toMatchObject({ kind: 'file', title: 'Sổ tay', topic: 'health', languages: ['vi', 'km'] });
	});

	it('asks for a title, and for a web address on links', () => {
		const { problems, ok } = readResourceForm(
			formOf({ title: ' ', kind: 'link', url: 'javascript:alert(1)' })
		);
		expect(ok).toBe(false);
		expect(problems.title).toBe(m.library_error_title_required());
		expect(problems.url).toBe(m.library_error_url());
	});

	it('refuses long titles with the limit', () => {
		const { problems } = readResourceForm(formOf({ title: 'x'.repeat(201) }));
		expect(problems.title).toBe(m.error_too_long({ max: 200, length: 201 }));
	});
});

describe('checkFile', () => {
	it('says what is wrong before any data is spent', () => {
		expect(checkFile(null)).toBe(m.library_error_file_required());
		expect(checkFile({ size: LIBRARY_MAX_BYTES + 1, type: 'application/pdf', name: 'a.pdf' })).toBe(
			m.library_error_too_large({ size: '25 MB', max: '25 MB' })
		);
		expect(checkFile({ size: 10, type: 'text/html', name: 'a.pdf' })).toBe(
			m.library_error_wrong_type({ name: 'a.pdf' })
		);
		expect(checkFile({ size: 10, type: 'audio/wav', name: 'a.wav' })).toBeNull();
	});
});

describe('refusals', () => {
	it('maps Storage statuses and database words to messages', () => {
		expect(storageProblem('413')).toBe(m.library_error_too_large_plain({ max: '25 MB' }));
		expect(storageProblem(415, 'x.exe')).toBe(m.library_error_wrong_type({ name: 'x.exe' }));
		expect(storageProblem(415, 'huong-dan.pdf', 'application/pdf')).toBe(
			m.library_error_not_what_it_says({ name: 'huong-dan.pdf' })
		);
		expect(storageProblem(403)).toBe(m.error_not_allowed());
		expect(libraryProblems({ code: 'P0001', message: 'file_missing' }).file).toBe(
			m.library_error_file_missing()
		);
		expect(
			libraryProblems({
				code: 'SUP',
				message:
					'new row for relation "library_resources" violates check constraint "library_resources_title_check"'
			}).title
		).toBe(m.library_error_title_required());
		expect(libraryProblems({ code: 'P0001', message: 'not_allowed' }).form).toBe(m.error_not_allowed());
	});
});

describe('array values', () => {
	it('writes Postgres array literals and reads both API forms', () => {
		expect(pgArray(['vi', 'km'])).toBe('{vi,km}');
		expect(() => pgArray(['a,b'])).toThrow();
		expect(languagesOf('{vi,km}')).toEqual(['vi', 'km']);
		expect(languagesOf(['en'])).toEqual(['en']);
		expect(languagesOf(null)).toEqual([]);
	});
});
