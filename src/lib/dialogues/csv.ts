// The agreed actions of a dialogue as CSV, for the programme's reports
// ("decisions adopted and how many were implemented"). UTF-8 with a BOM so
// spreadsheet programs read Vietnamese and Khmer right.
import type { ActionRow } from './queries';

const cell = (value: string | number | null | undefined) => {
	const text = String(value ?? '');
	// Quote everything; a leading = + - @ would start a formula in a spreadsheet.
	const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
	return `"${safe.replace(/"/g, '""')}"`;
};

export function actionsCsv(
	actions: (ActionRow & { progress: { body: string; created_at: string } | null })[],
	clubName: string
): string {
	const header = [
		'description',
		'owner',
		'supporting',
		'due_on',
		'status',
		'overdue',
		'done_at',
		'latest_progress',
		'dialogue'
	];
	const rows = actions.map((a) =>
		[
			a.description,
			a.owner_kind === 'club' ? clubName : [a.owner_name, a.owner_organisation].filter(Boolean).join(' · '),
			a.supporting,
			a.due_on,
			a.status,
			a.overdue ? 'yes' : 'no',
			a.done_at,
			a.progress?.body,
			a.dialogue_title
		]
			.map(cell)
			.join(',')
	);
	return '\ufeff' + [header.join(','), ...rows].join('\r\n') + '\r\n';
}
