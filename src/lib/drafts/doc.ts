// The shape of a draft's Yjs document, shared by the editor (browser), the
// compaction and export (server) and the tests. Never imported by a reading
// page: those use the projections (./types.ts).
//
//   sections    Y.Array of Y.Map { id, heading: string, body: Y.XmlFragment }
//               (body is ProseMirror's document, bound by y-prosemirror)
//   budget      Y.Map { currency, groups: Y.Array of Y.Map { id, name,
//               lines: Y.Array of Y.Map { id, category, description, quantity, unit, unit_cost } } }
//               (no currency: the draft has no budget)
//   activities  Y.Array of Y.Map { id, title, start, end, responsible, location, status }
//
// Cells and headings are plain values: two people typing in the same cell
// end with the same value (the later one), never a mix; rich text merges
// character by character.
import * as Y from 'yjs';
import {
	ACTIVITY_STATUSES,
	CURRENCIES,
	type Activity,
	type ActivityStatus,
	type BudgetGroup,
	type BudgetLine,
	type Currency,
	type Projection,
	type RichNode,
	type SectionProjection
} from './types';
import { safeHref } from './href';

const shortId = () => crypto.randomUUID().replaceAll('-', '').slice(0, 12);

export const sectionsOf = (doc: Y.Doc) => doc.getArray<Y.Map<unknown>>('sections');
export const budgetOf = (doc: Y.Doc) => doc.getMap<unknown>('budget');
export const activitiesOf = (doc: Y.Doc) => doc.getArray<Y.Map<unknown>>('activities');

const LINE_FIELDS = ['category', 'description', 'quantity', 'unit', 'unit_cost'] as const;
const ACTIVITY_FIELDS = ['title', 'start', 'end', 'responsible', 'location', 'status'] as const;

/** Paragraphs of plain text as a section body. */
function paragraphsFragment(paragraphs: string[]): Y.XmlElement[] {
	return (paragraphs.length ? paragraphs : ['']).map((text) => {
		const paragraph = new Y.XmlElement('paragraph');
		if (text) paragraph.insert(0, [new Y.XmlText(text)]);
		return paragraph;
	});
}

export function newSection(heading: string, paragraphs: string[] = [], id = shortId()): Y.Map<unknown> {
	const section = new Y.Map<unknown>();
	section.set('id', id);
	section.set('heading', heading);
	const body = new Y.XmlFragment();
	body.insert(0, paragraphsFragment(paragraphs));
	section.set('body', body);
	return section;
}

export function newLine(values: Partial<Omit<BudgetLine, 'id'>> = {}, id = shortId()): Y.Map<unknown> {
	const line = new Y.Map<unknown>();
	line.set('id', id);
	for (const field of LINE_FIELDS) line.set(field, values[field] ?? '');
	return line;
}

export function newGroup(name: string, lines: Partial<Omit<BudgetLine, 'id'>>[] = [], id = shortId()) {
	const group = new Y.Map<unknown>();
	group.set('id', id);
	group.set('name', name);
	const array = new Y.Array<Y.Map<unknown>>();
	array.insert(
		0,
		lines.map((l) => newLine(l))
	);
	group.set('lines', array);
	return group;
}

export function newActivity(values: Partial<Omit<Activity, 'id'>> = {}, id = shortId()): Y.Map<unknown> {
	const activity = new Y.Map<unknown>();
	activity.set('id', id);
	for (const field of ACTIVITY_FIELDS)
		activity.set(field, values[field] ?? (field === 'status' ? 'planned' : ''));
	return activity;
}

// ---------------------------------------------------------------------------
// Projections: what the document says, as plain data.

const str = (value: unknown, max = 2000) => (typeof value === 'string' ? value.slice(0, max) : '');
const MARKS = new Set(['strong', 'em', 'link']);
const BLOCKS = new Set(['paragraph', 'heading', 'bullet_list', 'ordered_list', 'list_item', 'hard_break']);

function richText(node: Y.XmlText): RichNode[] {
	const delta = node.toDelta() as { insert: unknown; attributes?: Record<string, Record<string, unknown>> }[];
	return delta
		.filter((d) => typeof d.insert === 'string' && d.insert.length)
		.map((d) => {
			const marks: NonNullable<RichNode['marks']> = [];
			for (const [key, attrs] of Object.entries(d.attributes ?? {})) {
				const type = key.replace(/--.*$/, '');
				if (!MARKS.has(type)) continue;
				if (type === 'link') {
					const href = safeHref(attrs?.href);
					if (href) marks.push({ type: 'link', href });
				} else marks.push({ type: type as 'strong' | 'em' });
			}
			return { type: 'text' as const, text: d.insert as string, ...(marks.length ? { marks } : {}) };
		});
}

function richNodes(children: (Y.XmlElement | Y.XmlText | Y.XmlHook)[]): RichNode[] {
	const out: RichNode[] = [];
	for (const child of children) {
		if (child instanceof Y.XmlText) out.push(...richText(child));
		else if (child instanceof Y.XmlElement) {
			const type = BLOCKS.has(child.nodeName) ? (child.nodeName as RichNode['type']) : 'paragraph';
			const node: RichNode = { type };
			if (type === 'heading') node.level = Math.min(Math.max(Number(child.getAttribute('level')) || 3, 3), 4);
			const content = richNodes(child.toArray());
			if (content.length) node.content = content;
			out.push(node);
		}
	}
	return out;
}

/** Plain text of rich nodes: one line per block. */
function richToText(nodes: RichNode[]): string {
	const lines: string[] = [];
	const walk = (list: RichNode[], prefix: string) => {
		for (const node of list) {
			if (node.type === 'bullet_list' || node.type === 'ordered_list') {
				(node.content ?? []).forEach((item, i) =>
					walk(item.content ?? [], node.type === 'bullet_list' ? '• ' : `${i + 1}. `)
				);
			} else if (node.type === 'list_item') walk(node.content ?? [], prefix);
			else
				lines.push(
					prefix + (node.content ?? []).map((c) => c.text ?? (c.type === 'hard_break' ? ' ' : '')).join('')
				);
		}
	};
	walk(nodes, '');
	return lines.join('\n');
}

export function projectSection(section: Y.Map<unknown>): SectionProjection {
	const body = section.get('body');
	const content = body instanceof Y.XmlFragment ? richNodes(body.toArray()) : [];
	return {
		id: str(section.get('id'), 64),
		heading: str(section.get('heading'), 200),
		content,
		text: richToText(content)
	};
}

const lineOf = (line: Y.Map<unknown>): BudgetLine => ({
	id: str(line.get('id'), 64),
	category: str(line.get('category'), 200),
	description: str(line.get('description'), 200),
	quantity: str(line.get('quantity'), 40),
	unit: str(line.get('unit'), 200),
	unit_cost: str(line.get('unit_cost'), 40)
});

export function projectBudget(doc: Y.Doc): Projection['budget'] {
	const budget = budgetOf(doc);
	const currency = budget.get('currency');
	if (!CURRENCIES.includes(currency as Currency)) return null;
	const groups = budget.get('groups');
	return {
		currency: currency as Currency,
		groups:
			groups instanceof Y.Array
				? (groups.toArray() as Y.Map<unknown>[]).map((group): BudgetGroup => {
						const lines = group.get('lines');
						return {
							id: str(group.get('id'), 64),
							name: str(group.get('name'), 200),
							lines: lines instanceof Y.Array ? (lines.toArray() as Y.Map<unknown>[]).map(lineOf) : []
						};
					})
				: []
	};
}

export function projectActivity(activity: Y.Map<unknown>): Activity {
	const status = activity.get('status');
	return {
		id: str(activity.get('id'), 64),
		title: str(activity.get('title'), 200),
		start: /^\d{4}-\d{2}-\d{2}$/.test(str(activity.get('start'))) ? str(activity.get('start')) : '',
		end: /^\d{4}-\d{2}-\d{2}$/.test(str(activity.get('end'))) ? str(activity.get('end')) : '',
		responsible: str(activity.get('responsible'), 200),
		location: str(activity.get('location'), 200),
		status: ACTIVITY_STATUSES.includes(status as ActivityStatus) ? (status as ActivityStatus) : 'planned'
	};
}

export function projectDoc(doc: Y.Doc): Projection {
	return {
		sections: sectionsOf(doc).toArray().map(projectSection),
		budget: projectBudget(doc),
		activities: activitiesOf(doc).toArray().map(projectActivity)
	};
}

// ---------------------------------------------------------------------------
// Restoring a version: the current document takes the version's content, in
// one transaction. Sections whose text did not change are left alone, so
// someone typing in them loses nothing.
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function replaceContent(doc: Y.Doc, from: Y.Doc) {
	doc.transact(() => {
		const current = sectionsOf(doc);
		const wanted = sectionsOf(from).toArray();
		const ids = (list: Y.Map<unknown>[]) => list.map((s) => s.get('id'));
		if (same(ids(current.toArray()), ids(wanted))) {
			wanted.forEach((section, i) => {
				const mine = current.get(i);
				if (same(projectSection(mine), projectSection(section))) return;
				mine.set('heading', section.get('heading'));
				const body = mine.get('body') as Y.XmlFragment;
				const theirs = section.get('body') as Y.XmlFragment;
				body.delete(0, body.length);
				body.insert(
					0,
					theirs.toArray().map((n) => n.clone() as Y.XmlElement | Y.XmlText)
				);
			});
		} else {
			current.delete(0, current.length);
			current.insert(
				0,
				wanted.map((s) => s.clone())
			);
		}
		const budget = budgetOf(doc);
		const theirBudget = budgetOf(from);
		if (!same(projectBudget(doc), projectBudget(from))) {
			for (const key of [...budget.keys()]) budget.delete(key);
			theirBudget.forEach((value, key) =>
				budget.set(key, value instanceof Y.AbstractType ? value.clone() : value)
			);
		}
		const activities = activitiesOf(doc);
		if (!same(activities.toArray().map(projectActivity), activitiesOf(from).toArray().map(projectActivity))) {
			activities.delete(0, activities.length);
			activities.insert(
				0,
				activitiesOf(from)
					.toArray()
					.map((a) => a.clone())
			);
		}
	});
}
