// Names of the drafts' vocabulary in the page's language (messages by name).
import { m } from '$lib/paraglide/messages';
import type { DraftKind } from './types';

export const kindName = (kind: DraftKind) =>
	kind === 'proposal'
		? m.draft_kind_proposal()
		: kind === 'budget'
			? m.draft_kind_budget()
			: m.draft_kind_plan();

/** What a history line says was edited, from the scope the editor sent. */
export function partName(scope: string, headings: Map<string, string>): string {
	if (scope === 'title') return m.draft_part_title();
	if (scope === 'budget') return m.draft_part_budget();
	if (scope === 'plan') return m.draft_part_plan();
	const section = /^section:(.+)$/.exec(scope)?.[1];
	const heading = section ? headings.get(section) : undefined;
	return heading ? `“${heading}”` : m.draft_part_text();
}
