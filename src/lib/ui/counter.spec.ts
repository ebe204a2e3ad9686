import { describe, expect, it } from 'vitest';
import { charactersCounter } from './counter';

describe('charactersCounter', () => {
	it('counts down to the limit, in the singular for one', () => {
		expect(charactersCounter(200, 0, 'en')).toBe('200 characters left');
		expect(charactersCounter(200, 199, 'en')).toBe('1 character left');
		expect(charactersCounter(200, 200, 'en')).toBe('0 characters left');
	});

	it('says how many too many past the limit, never a negative count', () => {
		expect(charactersCounter(200, 201, 'en')).toBe('1 character too many');
		expect(charactersCounter(200, 215, 'en')).toBe('15 characters too many');
		expect(charactersCounter(200, 201, 'vi')).toBe('Vượt quá 1 ký tự');
		expect(charactersCounter(200, 215, 'km')).toBe('លើស 15 តួអក្សរ');
		expect(charactersCounter(200, 190, 'vi')).toBe('Còn 10 ký tự');
	});
});
