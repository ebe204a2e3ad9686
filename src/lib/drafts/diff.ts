// Comparing a version with the current text: both projections as plain
// lines (headings, paragraphs, budget lines, activities), then a line diff
// (longest common subsequence). Plain data in, plain data out.
import { budgetTotals, roundedString, CURRENCY_DECIMALS } from './money';
import type { Projection } from './types';

export type DiffLine = { kind: 'same' | 'added' | 'removed'; text: string };

export function projectionLines(projection: Projection, labels: { budget: string; plan: string }): string[] {
	const lines: string[] = [];
	for (const section of projection.sections) {
		lines.push(`## ${section.heading}`);
		lines.push(...section.text.split('\n').filter((l) => l.trim()));
	}
	if (projection.budget) {
		const budget = projection.budget;
		const totals = budgetTotals(budget);
		const money = (v: bigint | null | undefined) =>
			v === null || v === undefined
				? '—'
				: `${roundedString(v, CURRENCY_DECIMALS[budget.currency])} ${budget.currency}`;
		lines.push(`## ${labels.budget}`);
		for (const group of budget.groups) {
			lines.push(`### ${group.name}`);
			for (const l of group.lines) {
				if (!l.description && !l.quantity && !l.unit_cost) continue;
				lines.push(
					`${[l.category, l.description].filter(Boolean).join(' — ')}: ${l.quantity} ${l.unit} × ${l.unit_cost} = ${money(totals.lines.get(l.id))}`
				);
			}
		}
		lines.push(`= ${money(totals.total)}`);
	}
	if (projection.activities.length) {
		lines.push(`## ${labels.plan}`);
		for (const a of projection.activities) {
			lines.push(
				[a.title, [a.start, a.end].filter(Boolean).join('–'), a.responsible, a.location, a.status]
					.filter(Boolean)
					.join(' · ')
			);
		}
	}
	return lines;
}

/** A line diff of `before` → `after`; at most 4,000 lines each (longer tails are compared as a block). */
export function diffLines(before: string[], after: string[]): DiffLine[] {
	const a = before.slice(0, 4000);
	const b = after.slice(0, 4000);
	const n = a.length;
	const mLen = b.length;
	const table: Uint16Array[] = Array.from({ length: n + 1 }, () => new Uint16Array(mLen + 1));
	for (let i = n - 1; i >= 0; i--)
		for (let j = mLen - 1; j >= 0; j--)
			table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
	const out: DiffLine[] = [];
	let i = 0;
	let j = 0;
	while (i < n && j < mLen) {
		if (a[i] === b[j]) {
			out.push({ kind: 'same', text: a[i] });
			i++;
			j++;
		} else if (table[i + 1][j] >= table[i][j + 1]) out.push({ kind: 'removed', text: a[i++] });
		else out.push({ kind: 'added', text: b[j++] });
	}
	while (i < n) out.push({ kind: 'removed', text: a[i++] });
	while (j < mLen) out.push({ kind: 'added', text: b[j++] });
	return out;
}
