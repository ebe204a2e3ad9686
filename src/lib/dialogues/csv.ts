// The agreed actions of a dialogue as CSV, for the programme's reports
// ("decisions adopted and how many were implemented"). UTF-8 with a BOM so
// spreadsheet programs read Vietnamese and Khmer right; headers, statuses and
// yes/no in the reader's language; dates stay YYYY-MM-DD (they sort).
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import { actionStatusLabel } from '$lib/vocabulary';
import type { ActionRow } from './queries';

const cell = (value: string | number | null | undefined) => {
	const text = String(value ?? '');
	// Quote everything; a leading = + - @ would start a formula in a spreadsheet.
	const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
	return `"${safe.replace(/"/g, '""')}"`;
};

export function actionsCsv(
	actions: (ActionRow & { progress: { body: string; created_at: string } | null })[],
	clubName: string,
	locale: Locale
): string {
	const o = { locale };
	const header = [
		m.csv_description({}, o),
		m.csv_owner({}, o),
		m.csv_supporting({}, o),
		m.csv_due_on({}, o),
		m.csv_status({}, o),
		m.csv_overdue({}, o),
		m.csv_done_at({}, o),
		m.csv_latest_progress({}, o),
		m.csv_dialogue({}, o)
	].map(cell);
	const rows = actions.map((a) =>
		[
			a.description,
			a.owner_kind === 'club' ? clubName : [a.owner_name, a.owner_organisation].filter(Boolean).join(' · '),
			a.supporting,
			a.due_on,
			actionStatusLabel(a.status, locale),
			a.overdue ? m.csv_yes({}, o) : m.csv_no({}, o),
			a.done_at,
			a.progress?.body,
			a.dialogue_title
		]
			.map(cell)
			.join(',')
	);
	return '\ufeff' + [header.join(','), ...rows].join('\r\n') + '\r\n';
}
