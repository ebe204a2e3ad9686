// Figures as CSV, as the dialogues' actions are (src/lib/dialogues/csv.ts):
// UTF-8 with a BOM so spreadsheet programs read Vietnamese and Khmer right,
// headers and names in the reader's language, months as YYYY-MM (they sort),
// "fewer than 5" in words where the database hid a small count.
import { m } from '$lib/paraglide/messages';
import { kindLabel } from '$lib/vocabulary';
import { FAMILIES, NETWORK_FAMILY, figureOf, monthOf, onTimeShare, partOf } from './figures';
import type { Count, Figures, FiguresResult } from './queries';

const cell = (value: string | number | null | undefined) => {
	const text = String(value ?? '');
	// Quote everything; a leading = + - @ would start a formula in a spreadsheet.
	const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
	return `"${safe.replace(/"/g, '""')}"`;
};
const line = (values: (string | number | null | undefined)[]) => values.map(cell).join(',');
const document = (lines: string[]) => '\ufeff' + lines.join('\r\n') + '\r\n';
// Plain digits in a spreadsheet (it formats them itself); words for a hidden count.
const raw = (value: Count) => (value === null ? m.programme_fewer_than_5() : value);

/**
 * One row per figure (and per part of a figure), the period's total and each
 * month: the network's (network page) or the one space's.
 */
export function figuresCsv(
	result: FiguresResult,
	figures: Figures,
	{ network }: { network: boolean }
): string {
	const months = result.period.months;
	const header = line([
		m.programme_csv_family(),
		m.programme_csv_figure(),
		m.programme_csv_part(),
		m.programme_csv_total(),
		...months.map((month) => month.slice(0, 7)),
		m.programme_csv_how()
	]);
	const rows: string[] = [];
	const families = network ? [NETWORK_FAMILY, ...FAMILIES] : FAMILIES;
	for (const family of families) {
		if ((family.key === 'network' && !network) || !result.parts.includes(family.key)) continue;
		for (const definition of family.figures) {
			const figure = figureOf(figures, definition.key);
			const hasMonths = Object.keys(figure.months).length > 0;
			rows.push(
				line([
					family.title(),
					definition.label(),
					'',
					raw(figure.total),
					...months.map((month) => (hasMonths ? raw(monthOf(figure, month)) : '')),
					definition.how()
				])
			);
			for (const part of definition.parts ?? []) {
				if (!(part.key in figure.breakdown)) continue;
				rows.push(
					line([
						family.title(),
						definition.label(),
						part.label(),
						raw(partOf(figure, part.key)),
						...months.map(() => ''),
						''
					])
				);
			}
		}
	}
	return document([header, ...rows]);
}

/** The network page's table of spaces: one row per space, its main totals. */
export function spacesCsv(result: FiguresResult): string {
	const columns: [string, (figures: Figures) => Count | string][] = [
		[m.programme_fig_members(), (f) => figureOf(f, 'members').total],
		[m.programme_fig_members_joined(), (f) => figureOf(f, 'members_joined').total],
		[m.programme_fig_members_left(), (f) => figureOf(f, 'members_left').total],
		[m.programme_fig_members_active(), (f) => figureOf(f, 'members_active').total],
		[m.programme_fig_threads(), (f) => figureOf(f, 'threads').total],
		[m.programme_fig_posts(), (f) => figureOf(f, 'posts').total],
		[m.programme_fig_meetings_held(), (f) => figureOf(f, 'meetings_held').total],
		[m.programme_fig_meeting_attendance(), (f) => figureOf(f, 'meeting_attendance').total],
		[m.programme_fig_elections_published(), (f) => figureOf(f, 'elections_published').total],
		[m.programme_fig_meeting_decisions(), (f) => figureOf(f, 'meeting_decisions').total],
		[m.programme_fig_dialogues(), (f) => figureOf(f, 'dialogues').total],
		[m.programme_fig_dialogues_held(), (f) => figureOf(f, 'dialogues_held').total],
		[m.programme_fig_dialogue_guests(), (f) => figureOf(f, 'dialogue_guests').total],
		[m.programme_fig_actions(), (f) => figureOf(f, 'actions').total],
		[m.programme_fig_actions_overdue(), (f) => figureOf(f, 'actions_overdue').total],
		[m.programme_fig_actions_due(), (f) => figureOf(f, 'actions_due').total],
		[m.programme_fig_actions_on_time(), (f) => figureOf(f, 'actions_done_on_time').total],
		[m.programme_csv_on_time_share(), (f) => onTimeShare(f)?.percent ?? ''],
		[m.programme_fig_library_items(), (f) => figureOf(f, 'library_items').total],
		[m.programme_fig_library_saves(), (f) => figureOf(f, 'library_saves').total],
		[m.programme_fig_drafts_started(), (f) => figureOf(f, 'drafts_started').total],
		[m.programme_fig_drafts_edited(), (f) => figureOf(f, 'drafts_edited').total],
		[m.programme_fig_draft_versions(), (f) => figureOf(f, 'draft_versions').total]
	];
	const header = line([
		m.programme_csv_space(),
		m.programme_csv_kind(),
		m.programme_csv_sensitive(),
		...columns.map(([name]) => name)
	]);
	const rows = result.spaces.map((space) =>
		line([
			space.name,
			kindLabel(space.kind),
			space.sensitive ? m.csv_yes() : m.csv_no(),
			...columns.map(([, value]) => {
				const count = value(space.figures);
				return typeof count === 'string' ? count : raw(count);
			})
		])
	);
	return document([header, ...rows]);
}

/** The file name of a CSV of figures: what, and the period. */
export const csvName = (what: string, period: { from: string; to: string }) =>
	`${what}-${period.from}-${period.to}.csv`;
