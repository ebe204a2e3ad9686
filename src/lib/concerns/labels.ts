import { m } from '$lib/paraglide/messages';
import type { ConcernStatus } from './limits';

export function statusLabel(status: ConcernStatus): string {
	switch (status) {
		case 'received':
			return m.concern_status_received();
		case 'in_review':
			return m.concern_status_in_review();
		case 'closed':
			return m.concern_status_closed();
	}
}
