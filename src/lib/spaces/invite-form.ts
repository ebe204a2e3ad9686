import { problem } from '$lib/i18n/problem';
import { readChoice, type Problems } from '$lib/ui/form';
import { SPACE_ROLES } from './queries';

export function readInviteForm(form: FormData) {
	const problems: Problems = {};
	const days = Number(form.get('days') ?? 14);
	if (!Number.isInteger(days) || days < 1 || days > 90) problems.days = problem('error_invite_days');
	const rawUses = String(form.get('max_uses') ?? '').trim();
	const maxUses = rawUses === '' ? null : Number(rawUses);
	if (maxUses !== null && (!Number.isInteger(maxUses) || maxUses < 1 || maxUses > 1000)) {
		problems.max_uses = problem('error_invite_max_uses');
	}
	const values = { role: readChoice(form, 'role', SPACE_ROLES, 'member'), days, maxUses, rawUses };
	return { values, problems, ok: Object.keys(problems).length === 0 };
}
