import { describe, expect, it } from 'vitest';
import { asciiDigits } from './digits';

describe('asciiDigits', () => {
	it('reads Khmer, Thai, Arabic-Indic and full-width digits as ASCII, leaving the rest', () => {
		expect(asciiDigits('៥០០ ០០០៛')).toBe('500 000៛');
		expect(asciiDigits('๑๒๓')).toBe('123');
		expect(asciiDigits('٤٥')).toBe('45');
		expect(asciiDigits('１２')).toBe('12');
		expect(asciiDigits('0912 345 678')).toBe('0912 345 678');
	});
});
