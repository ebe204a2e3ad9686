// Reading the notifications settings forms.
import { m } from '$lib/paraglide/messages';
import { isUuid, readString, type Problems } from '$lib/ui/form';

/** Time zones people here use; the one already saved is always offered too. */
export const TIME_ZONES = [
	'Asia/Ho_Chi_Minh',
	'Asia/Phnom_Penh',
	'Asia/Bangkok',
	'Asia/Vientiane',
	'Asia/Yangon',
	'Asia/Jakarta',
	'Asia/Manila',
	'Asia/Singapore',
	'Asia/Tokyo',
	'Australia/Sydney',
	'Europe/London',
	'Europe/Berlin',
	'Europe/Stockholm',
	'America/New_York',
	'UTC'
] as const;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export function readQuietForm(form: FormData) {
	const problems: Problems = {};
	const values = {
		start: readString(form, 'start'),
		end: readString(form, 'end'),
		zone: readString(form, 'zone')
	};
	if (!TIME.test(values.start)) problems.start = m.push_error_time();
	if (!TIME.test(values.end)) problems.end = m.push_error_time();
	if (
		!(TIME_ZONES as readonly string[]).includes(values.zone) &&
		values.zone !== readString(form, 'saved_zone')
	) {
		problems.zone = m.push_error_zone();
	}
	return { values, problems, ok: Object.keys(problems).length === 0 };
}

/** The checked ids of a list of checkboxes named `name`. */
export const readIds = (form: FormData, name: string) =>
	form.getAll(name).filter((v): v is string => typeof v === 'string' && isUuid(v));

export function readPhone(form: FormData) {
	const phone = {
		endpoint: readString(form, 'endpoint'),
		p256dh: readString(form, 'p256dh'),
		auth: readString(form, 'auth')
	};
	return { phone, ok: phone.endpoint.length > 0 && phone.p256dh.length > 0 && phone.auth.length > 0 };
}
