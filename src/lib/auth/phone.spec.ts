import { describe, expect, it } from 'vitest';
import {
	defaultCountry,
	formatPhone,
	fromAuthPhone,
	normaliseCode,
	normalisePhone,
	numberBlock,
	parseSmsCountries,
	toAsciiDigits
} from './phone';

const SERVED = ['84', '855'];
const read = (input: string, country = '84', allowed = SERVED) => normalisePhone(input, country, allowed);
const e164 = (input: string, country = '84', allowed = SERVED) => {
	const result = read(input, country, allowed);
	return result.ok ? result.e164 : result.problem;
};

describe('normalisePhone', () => {
	it('reads Vietnamese numbers written the usual ways', () => {
		for (const typed of [
			'0901234567',
			'090 123 4567',
			'0901.234.567',
			'0901-234-567',
			'(090) 123 4567',
			'+84 901 234 567',
			'+84 (0) 901 234 567',
			'0084901234567',
			'84901234567',
			'901234567',
			'\u00a0090\u2009123\u00a04567 ',
			'٠٩٠١٢٣٤٥٦٧'
		])
			expect(e164(typed), typed).toBe('+84901234567');
	});

	it('reads Cambodian numbers, with Khmer digits too', () => {
		expect(e164('012 345 678', '855')).toBe('+85512345678');
		expect(e164('០១២ ៣៤៥ ៦៧៨', '855')).toBe('+85512345678');
		expect(e164('097 123 4567', '855')).toBe('+855971234567');
		expect(e164('+855 97 123 4567', '84')).toBe('+855971234567');
		expect(e164('85512345678', '855')).toBe('+85512345678');
		expect(e164('１２３４５６７８', '855')).toBe('+85512345678');
	});

	it('a number written with its country wins over the chosen one', () => {
		const result = read('+855 12 345 678', '84');
		expect(result).toEqual({ ok: true, e164: '+85512345678', country: '855', national: '12345678' });
	});

	it('says what is wrong: too short, too long, a landline, letters, empty', () => {
		expect(e164('090 123 456')).toBe('too_short');
		expect(e164('090 123 45678')).toBe('too_long');
		expect(e164('024 3825 1234')).toBe('too_long'); // a Hanoi landline has 10 digits
		expect(e164('0201234567')).toBe('not_mobile');
		expect(e164('090 CALL ME')).toBe('characters');
		expect(e164('linh@sahakum.test')).toBe('characters');
		expect(e164('  ')).toBe('empty');
		expect(e164('0123', '855')).toBe('too_short');
		expect(e164('0123 456 7890', '855')).toBe('too_long');
	});

	it('a Cambodian number typed with Vietnam chosen is too short for Vietnam (the wrong country)', () => {
		expect(read('012 345 678', '84')).toEqual({ ok: false, problem: 'too_short', country: '84' });
	});

	it('refuses countries the network does not send codes to, unless SMS_COUNTRIES adds them', () => {
		expect(read('+66 81 234 5678')).toEqual({ ok: false, problem: 'country_not_served', country: '66' });
		expect(e164('+1 202 555 0100')).toBe('country_not_served');
		expect(e164('+44 7700 900123')).toBe('country_not_served');
		expect(e164('+66 81 234 5678', '84', ['84', '855', '66'])).toBe('+66812345678');
		expect(e164('+44 7700 900123', '84', ['84', '44'])).toBe('+447700900123');
	});
});

describe('the rest', () => {
	it('chooses the country from the language', () => {
		expect(defaultCountry('vi')).toBe('84');
		expect(defaultCountry('km')).toBe('855');
		expect(defaultCountry('en')).toBe('84');
		expect(defaultCountry('km', ['84'])).toBe('84');
	});

	it('reads SMS_COUNTRIES', () => {
		expect(parseSmsCountries(undefined)).toEqual(['84', '855']);
		expect(parseSmsCountries('')).toEqual(['84', '855']);
		expect(parseSmsCountries('84, +855 66')).toEqual(['84', '855', '66']);
		expect(parseSmsCountries('x; 0; 12345')).toEqual(['84', '855']);
	});

	it('codes: spaces, dashes, Khmer and other digits', () => {
		expect(normaliseCode(' 123 456 ')).toBe('123456');
		expect(normaliseCode('១២៣៤៥៦')).toBe('123456');
		expect(normaliseCode('123-456')).toBe('123456');
		expect(normaliseCode('１２３ ４５６')).toBe('123456');
		expect(toAsciiDigits('៩ ໙ ๙ ၉')).toBe('9 9 9 9');
	});

	it('formats, reads GoTrue’s stored form and names the block of numbers', () => {
		expect(formatPhone('+84901234567')).toBe('+84 901 234 567');
		expect(formatPhone('+85512345678')).toBe('+855 12 345 678');
		expect(fromAuthPhone('84901234567')).toBe('+84901234567');
		expect(fromAuthPhone('')).toBe('');
		expect(numberBlock('+84901234567')).toBe('+8490123');
		expect(numberBlock('+84901239999')).toBe(numberBlock('+84901230000'));
	});
});
