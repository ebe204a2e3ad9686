import { describe, expect, it } from 'vitest';
import { constraintName, refusalKind } from './errors';

describe('refusalKind', () => {
	it('reads hosted PostgREST SQLSTATE codes', () => {
		expect(refusalKind({ code: '23514', message: 'x' })).toBe('check');
		expect(refusalKind({ code: '23505', message: 'x' })).toBe('unique');
		expect(refusalKind({ code: '42501', message: 'new row violates row-level security policy' })).toBe(
			'row_security'
		);
	});

	it('reads the local stack’s messages when the code is generic', () => {
		const error = {
			code: 'SUP',
			message:
				'error: new row for relation "profiles" violates check constraint "profiles_display_name_check"'
		};
		expect(refusalKind(error)).toBe('check');
		expect(constraintName(error)).toBe('profiles_display_name_check');
		expect(refusalKind({ code: 'SUP', message: 'something else' })).toBe('other');
		expect(refusalKind(null)).toBeNull();
	});
});
