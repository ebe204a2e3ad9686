// Starting a draft: its first state comes from a built-in template (built in
// the draft's language) or a saved one, with its projections.
import * as Y from 'yjs';
import type { Client } from '$lib/supabase/types';
import type { Locale } from '$lib/paraglide/runtime';
import { fromBase64, toBase64 } from './base64';
import { projectDoc } from './doc';
import { blankDraft, builtInTemplate } from './templates';
import { createDraftRow, savedTemplates, templateSnapshot } from './queries';
import type { DraftKind } from './types';

export async function createDraft(
	supabase: Client,
	input: {
		id: string;
		spaceId: string;
		title: string;
		language: Locale;
		builtin: DraftKind | 'blank' | null;
		savedTemplate: string | null;
	}
) {
	let doc: Y.Doc;
	// A blank draft is a proposal with one empty section: the editor adds sections, a budget or a plan.
	let kind: DraftKind = input.builtin === 'blank' ? 'proposal' : (input.builtin ?? 'proposal');
	if (input.savedTemplate) {
		const [snapshot, templates] = await Promise.all([
			templateSnapshot(supabase, input.savedTemplate),
			savedTemplates(supabase, input.spaceId)
		]);
		const template = templates.find((t) => t.id === input.savedTemplate);
		if (!snapshot || !template) return { error: { code: 'P0001', message: 'not_allowed' } };
		doc = new Y.Doc();
		Y.applyUpdate(doc, fromBase64(snapshot));
		kind = template.kind;
	} else doc = input.builtin === 'blank' ? blankDraft(input.language) : builtInTemplate(kind, input.language);
	return createDraftRow(supabase, {
		id: input.id,
		spaceId: input.spaceId,
		kind,
		title: input.title,
		language: input.language,
		snapshot: toBase64(Y.encodeStateAsUpdate(doc)),
		projection: projectDoc(doc)
	});
}
