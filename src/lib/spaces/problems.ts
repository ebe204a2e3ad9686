// Why an invite code does not work, in the reader's language.
import { m } from '$lib/paraglide/messages';
import type { UnusableCode } from './invite-code';

/** Why a code does not work, and what to do about it (from invite_state()). */
export function unusableCodeProblem(state: UnusableCode): string {
	switch (state) {
		case 'cancelled':
			return m.invite_state_cancelled();
		case 'expired':
			return m.invite_state_expired();
		case 'used_up':
			return m.invite_state_used_up();
		case 'closed':
			return m.invite_state_closed();
		default:
			return m.invite_state_unknown();
	}
}
