// Set-up for the drafts tests: a draft made the way the app makes one (a Yjs
// document built from a template, stored by create_draft as the creator's
// first update), and Yjs updates pushed through the same RPC the editor uses.
import { expect } from 'vitest';
import * as Y from 'yjs';
import { toBase64 } from '$lib/drafts/base64';
import { budgetOf, newGroup, newSection, sectionsOf } from '$lib/drafts/doc';
import { newId } from '../helpers/spaces';
import type { Person } from '../helpers/stack';

/** A small proposal: two sections and a budget in dong. */
export function proposalDoc(): Y.Doc {
	const doc = new Y.Doc();
	doc.transact(() => {
		sectionsOf(doc).insert(0, [
			newSection('Bối cảnh', ['Câu lạc bộ phụ nữ Khai Quang'], 'background'),
			newSection('Mục tiêu', [''], 'objectives')
		]);
		budgetOf(doc).set('currency', 'VND');
		budgetOf(doc).set(
			'groups',
			Y.Array.from([
				newGroup(
					'Hội thảo',
					[{ description: 'Thuê hội trường', quantity: '2', unit: 'ngày', unit_cost: '1500000' }],
					'workshop'
				)
			])
		);
	});
	return doc;
}

export async function createDraft(
	who: Person,
	spaceId: string,
	doc = proposalDoc(),
	title = 'Đề xuất dự án CoP-PwD'
) {
	const id = newId();
	const { data, error } = await who.client.rpc('create_draft', {
		p_id: id,
		p_space: spaceId,
		p_kind: 'proposal',
		p_title: title,
		p_language: 'vi',
		p_content: toBase64(Y.encodeStateAsUpdate(doc))
	});
	expect(error).toBeNull();
	expect(data).toBe(id);
	return id;
}

/** A Yjs update that types `text` at the end of the first paragraph of section `index`. */
export function typeInto(doc: Y.Doc, text: string, index = 0): Uint8Array {
	let update: Uint8Array | null = null;
	const capture = (u: Uint8Array) => (update = u);
	doc.once('update', capture);
	const body = sectionsOf(doc).get(index).get('body') as Y.XmlFragment;
	const paragraph = body.get(0) as Y.XmlElement;
	let node = paragraph.get(0) as Y.XmlText | undefined;
	if (!node) {
		node = new Y.XmlText();
		paragraph.insert(0, [node]);
	}
	node.insert(node.length, text);
	if (!update) throw new Error('no update');
	return update;
}

export const push = (
	who: Person,
	draftId: string,
	update: Uint8Array,
	id = newId(),
	scope = 'section:background'
) =>
	who.client.rpc('push_draft_update', {
		p_id: id,
		p_draft: draftId,
		p_update: toBase64(update),
		p_scope: scope
	});
