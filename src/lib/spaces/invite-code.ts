import type { SpaceKind } from '$lib/vocabulary';

// Invite codes people can read aloud and type from a paper note: 8 characters
// from an alphabet without look-alikes (no 0/O, 1/I/L). 31^8 ≈ 8.5e11 codes.
export const INVITE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const INVITE_CODE_LENGTH = 8;

export function generateInviteCode(
	random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))
): string {
	let code = '';
	while (code.length < INVITE_CODE_LENGTH) {
		for (const byte of random(16)) {
			// Reject bytes past the largest multiple of the alphabet size: no modulo bias.
			if (byte < 248 && code.length < INVITE_CODE_LENGTH)
				code += INVITE_ALPHABET[byte % INVITE_ALPHABET.length];
		}
	}
	return code;
}

/** "khaq-uang", "KHAQ UANG" → "KHAQUANG". The database normalises the same way. */
export function normaliseInviteCode(input: string): string {
	return input.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
}

/** Shown in two groups of four so it is easy to read out: "KHAQ UANG". */
export const formatInviteCode = (code: string) => `${code.slice(0, 4)} ${code.slice(4)}`;

/**
 * Spelled out for reading aloud over the phone or in a workshop room, one
 * letter at a time in the two groups of four: "K-H-A-Q U-A-N-G". Typing it
 * with the dashes works too (they are ignored like spaces).
 */
export const spellInviteCode = (code: string) =>
	[code.slice(0, 4), code.slice(4)].map((group) => group.split('').join('-')).join(' ');

/** An already-normalised code of the right shape (the schema's check, before asking the database). */
export const isInviteCode = (code: string) => /^[A-HJKMNP-Z2-9]{8}$/.test(code);

/**
 * The invite code an auth page carries as `?invite=` (from an invite link, through
 * sign-in, sign-up and code verification); anything but a code's shape is dropped.
 */
export function readInviteParam(url: URL): string | null {
	const code = normaliseInviteCode(url.searchParams.get('invite') ?? '');
	return isInviteCode(code) ? code : null;
}

/** `path` with the invite carried along (a code is only ever letters and digits). */
export const withInvite = (path: string, code: string | null | undefined) =>
	code ? `${path}${path.includes('?') ? '&' : '?'}invite=${code}` : path;

/**
 * Why a code someone holds does not work (invite_state() and
 * dialogue_invite_state() in the database): unknown is a code that never
 * existed (or a mistyped one); closed is a dialogue that is over.
 */
export type UnusableCode = 'unknown' | 'cancelled' | 'expired' | 'used_up' | 'closed';
export const UNUSABLE_STATES = ['cancelled', 'expired', 'used_up', 'closed'] as const;

/** What an auth page says about the invitation it carries: to a space, or as a guest of one dialogue. */
export interface Invitation {
	code: string;
	/** null: not a usable space invite (expired, used up, cancelled, never existed, or a dialogue's). */
	space: { name: string; kind: SpaceKind } | null;
	/** A usable dialogue guest invite: the dialogue and the space that convened it. */
	dialogue?: { title: string; spaceName: string } | null;
	/** Which of those, when the page knows. */
	unusable?: UnusableCode;
}

/** The code an auth page carries on to its next page: only one that can still be used. */
export const usableCode = (invitation: Invitation | null | undefined) =>
	invitation?.space || invitation?.dialogue ? invitation.code : null;
