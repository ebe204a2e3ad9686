import { SPACE_ROLES } from '$lib/vocabulary';
import { m } from '$lib/paraglide/messages';
import { readChoice, type Problems, readString } from '$lib/ui/form';

export function readInviteForm(form: FormData) {
	const problems: Problems = {};
	const days = Number(form.get('days') ?? 14);
	if (!Number.isInteger(days) || days < 1 || days > 90) problems.days = m.error_invite_days();
	const rawUses = readString(form, 'max_uses').trim();
	const maxUses = rawUses === '' ? null : Number(rawUses);
	if (maxUses !== null && (!Number.isInteger(maxUses) || maxUses < 1 || maxUses > 1000)) {
		problems.max_uses = m.error_invite_max_uses();
	}
	const values = { role: readChoice(form, 'role', SPACE_ROLES, 'member'), days, maxUses, rawUses };
	return { values, problems, ok: Object.keys(problems).length === 0 };
}
