import { describe, expect, it } from 'vitest';
import {
	INVITE_ALPHABET,
	formatInviteCode,
	generateInviteCode,
	normaliseInviteCode,
	readInviteParam,
	withInvite
} from './invite-code';

describe('invite codes', () => {
	it('are 8 characters from the unambiguous alphabet, matching the schema check', () => {
		for (let i = 0; i < 200; i++) {
			const code = generateInviteCode();
			expect(code).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
		}
		expect(INVITE_ALPHABET).not.toMatch(/[01ILO]/);
	});

	it('skip biased bytes instead of wrapping them', () => {
		const bytes = new Uint8Array(16).fill(250);
		bytes[15] = 0;
		let calls = 0;
		const code = generateInviteCode(() => (calls++ === 0 ? bytes : new Uint8Array(16)));
		expect(code).toBe('AAAAAAAA');
	});

	it('normalise what people type and format for reading aloud', () => {
		expect(normaliseInviteCode(' khaq-uang ')).toBe('KHAQUANG');
		expect(formatInviteCode('KHAQUANG')).toBe('KHAQ UANG');
	});
});

describe('the invite an auth page carries', () => {
	const param = (value: string) =>
		readInviteParam(new URL(`https://x.test/sign-in?invite=${encodeURIComponent(value)}`));

	it('is a code of the right shape, however it was typed, or nothing', () => {
		expect(param('KHAQUANG')).toBe('KHAQUANG');
		expect(param('khaq-uang')).toBe('KHAQUANG');
		for (const bad of ['', 'KHAQUAN', 'KHAQUANGG', 'KHAQUAN0', '../../evil', '<b>KHAQUANG</b>'])
			expect(param(bad), bad).toBeNull();
		expect(readInviteParam(new URL('https://x.test/sign-in'))).toBeNull();
	});

	it('goes along on links and redirects only when there is one', () => {
		expect(withInvite('/sign-up', 'KHAQUANG')).toBe('/sign-up?invite=KHAQUANG');
		expect(withInvite('/verify?type=email', 'KHAQUANG')).toBe('/verify?type=email&invite=KHAQUANG');
		expect(withInvite('/sign-up', null)).toBe('/sign-up');
	});
});
