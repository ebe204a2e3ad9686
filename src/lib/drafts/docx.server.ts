// A draft as a Word document, from its projections (no Yjs). Khmer text is
// set in Noto Sans Khmer, embedded in the file (a TTF from
// @expo-google-fonts/noto-sans-khmer: the app's own @fontsource copy is
// woff2 only, which Word cannot embed), with the complex-script font and the
// km-KH language on every Khmer run, so Word shapes and breaks it right.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
	AlignmentType,
	Document,
	ExternalHyperlink,
	HeadingLevel,
	LevelFormat,
	Packer,
	Paragraph,
	Table,
	TableCell,
	TableRow,
	TextRun,
	WidthType,
	type ParagraphChild
} from 'docx';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import { safeHref } from './href';
import { budgetTotals, formatAmount, formatMoney } from './money';
import type { Activity, BudgetProjection, Projection, RichNode } from './types';

const KHMER_FONT = 'Noto Sans Khmer';
const LATIN_FONT = 'Arial';
const KHMER = /[\u1780-\u17ff\u19e0-\u19ff]/;
/** Khmer letters with the joiners and spaces inside a Khmer run. */
const KHMER_RUNS =
	/([\u1780-\u17ff\u19e0-\u19ff\u200b-\u200d]+(?:[ \u00a0]+[\u1780-\u17ff\u19e0-\u19ff\u200b-\u200d]+)*)/;

let fonts: { regular: Buffer; bold: Buffer } | undefined;
function khmerFont() {
	if (!fonts) {
		const require = createRequire(import.meta.url);
		const file = (face: string) =>
			require.resolve(`@expo-google-fonts/noto-sans-khmer/${face}/NotoSansKhmer_${face}.ttf`);
		fonts = { regular: readFileSync(file('400Regular')), bold: readFileSync(file('700Bold')) };
	}
	return fonts;
}

type Style = { bold?: boolean; italics?: boolean; size?: number; style?: string };

/** Text as runs: Khmer runs with the Khmer font and language, the rest in the draft's language. */
export function runs(text: string, language: Locale, style: Style = {}): TextRun[] {
	const latinLanguage = { en: 'en-GB', vi: 'vi-VN', km: 'en-GB' }[language];
	return text
		.split(KHMER_RUNS)
		.filter(Boolean)
		.map((part) =>
			KHMER.test(part)
				? new TextRun({
						text: part,
						...style,
						boldComplexScript: style.bold,
						italicsComplexScript: style.italics,
						sizeComplexScript: style.size,
						font: { ascii: KHMER_FONT, hAnsi: KHMER_FONT, cs: KHMER_FONT, eastAsia: KHMER_FONT },
						language: { value: 'km-KH', bidirectional: 'km-KH' }
					})
				: new TextRun({
						text: part,
						...style,
						font: { ascii: LATIN_FONT, hAnsi: LATIN_FONT, cs: KHMER_FONT },
						language: { value: latinLanguage, bidirectional: 'km-KH' }
					})
		);
}

function inline(nodes: RichNode[], language: Locale): ParagraphChild[] {
	return nodes.flatMap((node): ParagraphChild[] => {
		if (node.type === 'hard_break') return [new TextRun({ break: 1 })];
		const style = {
			bold: node.marks?.some((mark) => mark.type === 'strong'),
			italics: node.marks?.some((mark) => mark.type === 'em')
		};
		const link = safeHref(node.marks?.find((mark) => mark.type === 'link')?.href);
		const text = runs(node.text ?? '', language, { ...style, ...(link ? { style: 'Hyperlink' } : {}) });
		return link ? [new ExternalHyperlink({ link, children: text })] : text;
	});
}

function blocks(nodes: RichNode[], language: Locale, level = 0): Paragraph[] {
	return nodes.flatMap((node): Paragraph[] => {
		if (node.type === 'paragraph') return [new Paragraph({ children: inline(node.content ?? [], language) })];
		if (node.type === 'heading')
			return [
				new Paragraph({
					heading: node.level === 4 ? HeadingLevel.HEADING_3 : HeadingLevel.HEADING_2,
					children: inline(node.content ?? [], language)
				})
			];
		if (node.type === 'bullet_list' || node.type === 'ordered_list') {
			return (node.content ?? []).flatMap((item) =>
				(item.content ?? []).flatMap((child, i) =>
					child.type === 'paragraph' && i === 0
						? [
								new Paragraph({
									children: inline(child.content ?? [], language),
									...(node.type === 'bullet_list'
										? { bullet: { level } }
										: { numbering: { reference: 'numbers', level } })
								})
							]
						: blocks([child], language, level + 1)
				)
			);
		}
		return [];
	});
}

const cell = (text: string, language: Locale, style: Style = {}, right = false) =>
	new TableCell({
		children: [
			new Paragraph({
				alignment: right ? AlignmentType.RIGHT : AlignmentType.LEFT,
				children: runs(text, language, style)
			})
		]
	});

function budgetTable(budget: BudgetProjection, language: Locale): Table {
	const o = { locale: language };
	const totals = budgetTotals(budget);
	const money = (v: bigint | null | undefined) =>
		v === null || v === undefined ? '—' : formatMoney(v, budget.currency, language);
	const rows = [
		new TableRow({
			tableHeader: true,
			children: [
				cell(m.budget_description({}, o), language, { bold: true }),
				cell(m.budget_quantity({}, o), language, { bold: true }, true),
				cell(m.budget_unit_cost({}, o), language, { bold: true }, true),
				cell(m.budget_line_total({}, o), language, { bold: true }, true)
			]
		})
	];
	for (const group of budget.groups) {
		rows.push(
			new TableRow({
				children: [
					new TableCell({
						columnSpan: 4,
						children: [new Paragraph({ children: runs(group.name, language, { bold: true }) })]
					})
				]
			})
		);
		for (const line of group.lines) {
			rows.push(
				new TableRow({
					children: [
						cell([line.category, line.description].filter(Boolean).join(' — '), language),
						cell(`${formatAmount(line.quantity, language)} ${line.unit}`.trim(), language, {}, true),
						cell(formatAmount(line.unit_cost, language), language, {}, true),
						cell(money(totals.lines.get(line.id)), language, {}, true)
					]
				})
			);
		}
		rows.push(
			new TableRow({
				children: [
					new TableCell({
						columnSpan: 3,
						children: [
							new Paragraph({ children: runs(m.budget_group_total({}, o), language, { bold: true }) })
						]
					}),
					cell(money(totals.groups.get(group.id)), language, { bold: true }, true)
				]
			})
		);
	}
	rows.push(
		new TableRow({
			children: [
				new TableCell({
					columnSpan: 3,
					children: [
						new Paragraph({
							children: runs(`${m.budget_grand_total({}, o)} (${budget.currency})`, language, { bold: true })
						})
					]
				}),
				cell(money(totals.total), language, { bold: true }, true)
			]
		})
	);
	return new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } });
}

function planTable(activities: Activity[], language: Locale): Table {
	const o = { locale: language };
	const status = (a: Activity) =>
		({
			planned: m.plan_status_planned({}, o),
			in_progress: m.plan_status_in_progress({}, o),
			done: m.plan_status_done({}, o),
			cancelled: m.plan_status_cancelled({}, o)
		})[a.status];
	const header = [
		m.plan_activity({}, o),
		m.plan_start({}, o),
		m.plan_end({}, o),
		m.plan_responsible({}, o),
		m.plan_location({}, o),
		m.plan_status({}, o)
	];
	return new Table({
		width: { size: 100, type: WidthType.PERCENTAGE },
		rows: [
			new TableRow({ tableHeader: true, children: header.map((h) => cell(h, language, { bold: true })) }),
			...activities.map(
				(a) =>
					new TableRow({
						children: [a.title, a.start, a.end, a.responsible, a.location, status(a)].map((t) =>
							cell(t, language)
						)
					})
			)
		]
	});
}

export async function draftDocx(input: {
	title: string;
	subtitle: string;
	language: Locale;
	projection: Projection;
}): Promise<Buffer> {
	const { title, language, projection } = input;
	const o = { locale: language };
	const children: (Paragraph | Table)[] = [
		new Paragraph({ heading: HeadingLevel.TITLE, children: runs(title, language) }),
		new Paragraph({ children: runs(input.subtitle, language, { italics: true }) })
	];
	for (const section of projection.sections) {
		children.push(
			new Paragraph({ heading: HeadingLevel.HEADING_1, children: runs(section.heading, language) })
		);
		children.push(...blocks(section.content, language));
	}
	if (projection.budget) {
		children.push(
			new Paragraph({ heading: HeadingLevel.HEADING_1, children: runs(m.budget_title({}, o), language) })
		);
		children.push(budgetTable(projection.budget, language));
	}
	if (projection.activities.length) {
		children.push(
			new Paragraph({ heading: HeadingLevel.HEADING_1, children: runs(m.plan_title({}, o), language) })
		);
		children.push(planTable(projection.activities, language));
	}
	const font = khmerFont();
	const document = new Document({
		title,
		creator: 'Sahakum',
		fonts: [{ name: KHMER_FONT, data: font.regular, bold: font.bold }],
		styles: { default: { document: { run: { font: LATIN_FONT } } } },
		numbering: {
			config: [
				{
					reference: 'numbers',
					levels: [0, 1, 2].map((level) => ({
						level,
						format: LevelFormat.DECIMAL,
						text: `%${level + 1}.`,
						alignment: AlignmentType.START
					}))
				}
			]
		},
		sections: [{ children }]
	});
	return Packer.toBuffer(document);
}
