// Starting a draft: from a built-in template (built here in the draft's
// language, stored as the creator's first update in the log) or from a saved
// template (copied in the database). Either way nothing the browser sends
// becomes the stored document without going through the log.
import * as Y from 'yjs';
import type { Client } from '$lib/supabase/types';
import type { Locale } from '$lib/paraglide/runtime';
import { toBase64 } from './base64';
import { blankDraft, builtInTemplate } from './templates';
import { createDraftFromTemplate, createDraftRow } from './queries';
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
	if (input.savedTemplate)
		return createDraftFromTemplate(supabase, {
			id: input.id,
			spaceId: input.spaceId,
			templateId: input.savedTemplate,
			title: input.title,
			language: input.language
		});
	// A blank draft is a proposal with one empty section: the editor adds sections, a budget or a plan.
	const kind: DraftKind = input.builtin === 'blank' ? 'proposal' : (input.builtin ?? 'proposal');
	const doc: Y.Doc =
		input.builtin === 'blank' ? blankDraft(input.language) : builtInTemplate(kind, input.language);
	return createDraftRow(supabase, {
		id: input.id,
		spaceId: input.spaceId,
		kind,
		title: input.title,
		language: input.language,
		content: toBase64(Y.encodeStateAsUpdate(doc))
	});
}
