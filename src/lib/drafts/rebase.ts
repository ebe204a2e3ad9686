// Rebasing a draft: its document made again from its content alone, without
// the record of every character ever typed and deleted that a Yjs document
// keeps (issue 24). The compactor rebases a quiet draft whose snapshot has
// grown past twice the size of a fresh one (./compact.server.ts); each rebase
// begins a new epoch of the document (migration 20261206000300_draft_rebase).
//
// A phone that was offline across a rebase may hold changes the server never
// got, made on the old epoch: Yjs cannot apply them to the new one. They are
// carried over as a three-way merge by part (section, budget group, activity,
// by id) between the document the old epoch ended with, the phone's document
// and the current one: what only the phone changed is applied, what only
// others changed is kept, and when both changed the same part the phone's
// version is added beside the others' (never a silent loss either way).
import * as Y from 'yjs';
import {
	activitiesOf,
	budgetOf,
	projectActivity,
	projectBudget,
	projectDoc,
	projectSection,
	replaceContent,
	sectionsOf
} from './doc';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const newId = () => crypto.randomUUID().replaceAll('-', '').slice(0, 12);

export const docFrom = (...updates: Uint8Array[]): Y.Doc => {
	const doc = new Y.Doc();
	for (const update of updates) Y.applyUpdate(doc, update);
	return doc;
};

/** A fresh document with the content of `from`: no deleted items, one item per block. */
export function freshDoc(from: Y.Doc): Y.Doc {
	const fresh = new Y.Doc();
	replaceContent(fresh, from);
	return fresh;
}

/**
 * The rebase's new snapshot and figures, or null when it is not worth it:
 * the snapshot is not past `factor` times a fresh document's size, or the
 * fresh document would not show exactly the same content.
 */
export function planRebase(doc: Y.Doc, factor = 2) {
	const before = Y.encodeStateAsUpdate(doc);
	const fresh = freshDoc(doc);
	const after = Y.encodeStateAsUpdate(fresh);
	const projection = projectDoc(fresh);
	if (before.length <= factor * after.length || !same(projection, projectDoc(doc))) return null;
	return { snapshot: after, projection, beforeBytes: before.length, afterBytes: after.length };
}

type Part = Y.Map<unknown>;

/**
 * Three-way merge of a list of parts with ids: `base` is the list the old
 * epoch ended with, `mine` the device's; `target` (the current list) is
 * changed in place.
 */
function mergeParts(target: Y.Array<Part>, base: Part[], mine: Part[], project: (part: Part) => unknown) {
	const idOf = (part: Part) => String(part.get('id'));
	const baseById = new Map(base.map((part) => [idOf(part), project(part)]));
	const indexIn = (id: string) => target.toArray().findIndex((part) => idOf(part) === id);
	mine.forEach((part, i) => {
		const id = idOf(part);
		const before = baseById.get(id);
		if (before !== undefined && same(before, project(part))) return; // not changed on the device
		const at = indexIn(id);
		if (at < 0) {
			target.insert(Math.min(i, target.length), [part.clone()]);
		} else if (before !== undefined && same(project(target.get(at)), before)) {
			target.delete(at, 1);
			target.insert(at, [part.clone()]);
		} else {
			// Both changed it: the device's version goes beside the others'.
			const copy = part.clone();
			copy.set('id', newId());
			target.insert(at + 1, [copy]);
		}
	});
	const mineIds = new Set(mine.map(idOf));
	for (const [id, before] of baseById) {
		if (mineIds.has(id)) continue;
		const at = indexIn(id);
		// Deleted on the device: gone unless someone changed it since.
		if (at >= 0 && same(project(target.get(at)), before)) target.delete(at, 1);
	}
}

const groupsOf = (doc: Y.Doc): Part[] => {
	const groups = budgetOf(doc).get('groups');
	return groups instanceof Y.Array ? (groups.toArray() as Part[]) : [];
};

function projectGroup(group: Part) {
	const lines = group.get('lines');
	return [group.get('name'), lines instanceof Y.Array ? (lines.toJSON() as unknown[]) : []];
}

/**
 * Carries a device's changes from the old epoch into `target` (the current
 * document), in one transaction with `origin`, so the sync stores them as an
 * update of the current epoch. `previous`: the document the old epoch ended
 * with; `local`: the device's whole old document. Whether anything changed.
 */
export function carryOver(
	target: Y.Doc,
	carry: { previous: Uint8Array; local: Uint8Array },
	origin: unknown
) {
	const base = docFrom(carry.previous);
	const mine = docFrom(carry.previous, carry.local);
	const before = projectDoc(target);
	target.transact(() => {
		mergeParts(sectionsOf(target), sectionsOf(base).toArray(), sectionsOf(mine).toArray(), projectSection);
		mergeParts(
			activitiesOf(target),
			activitiesOf(base).toArray(),
			activitiesOf(mine).toArray(),
			projectActivity
		);
		const budget = budgetOf(target);
		const [baseBudget, mineBudget] = [projectBudget(base), projectBudget(mine)];
		if (
			mineBudget?.currency !== baseBudget?.currency &&
			projectBudget(target)?.currency === baseBudget?.currency
		)
			budget.set('currency', budgetOf(mine).get('currency'));
		if (!same(baseBudget?.groups ?? [], mineBudget?.groups ?? [])) {
			if (!(budget.get('groups') instanceof Y.Array)) budget.set('groups', new Y.Array<Part>());
			mergeParts(budget.get('groups') as Y.Array<Part>, groupsOf(base), groupsOf(mine), projectGroup);
		}
	}, origin);
	return !same(before, projectDoc(target));
}
