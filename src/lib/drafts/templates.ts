// The built-in templates (from the CoP consultation workshops: a proposal
// with its standard sections, a budget in sections, an activity plan), built
// as a Yjs document in the draft's language. Saved templates are stored
// snapshots (draft_templates).
import * as Y from 'yjs';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import { activitiesOf, budgetOf, newActivity, newGroup, newSection, sectionsOf } from './doc';
import type { Currency, DraftKind } from './types';

const currencyFor: Record<Locale, Currency> = { vi: 'VND', km: 'KHR', en: 'USD' };

function addBudget(doc: Y.Doc, locale: Locale) {
	const o = { locale };
	const groups = [
		m.budget_group_workshops({}, o),
		m.budget_group_personnel({}, o),
		m.budget_group_travel({}, o),
		m.budget_group_supplies({}, o),
		m.budget_group_admin({}, o)
	];
	budgetOf(doc).set('currency', currencyFor[locale]);
	budgetOf(doc).set('groups', Y.Array.from(groups.map((name) => newGroup(name, [{}]))));
}

export function builtInTemplate(kind: DraftKind, locale: Locale): Y.Doc {
	const doc = new Y.Doc();
	const o = { locale };
	doc.transact(() => {
		if (kind === 'proposal') {
			sectionsOf(doc).insert(
				0,
				[
					m.draft_section_background({}, o),
					m.draft_section_objectives({}, o),
					m.draft_section_target({}, o),
					m.draft_section_activities({}, o),
					m.draft_section_stakeholders({}, o),
					m.draft_section_budget({}, o),
					m.draft_section_monitoring({}, o),
					m.draft_section_risks({}, o)
				].map((heading) => newSection(heading))
			);
			addBudget(doc, locale);
			activitiesOf(doc).insert(0, [newActivity()]);
		} else if (kind === 'budget') {
			sectionsOf(doc).insert(0, [newSection(m.draft_section_notes({}, o))]);
			addBudget(doc, locale);
		} else {
			sectionsOf(doc).insert(0, [newSection(m.draft_section_notes({}, o))]);
			activitiesOf(doc).insert(0, [newActivity(), newActivity()]);
		}
	});
	return doc;
}

/** A blank draft: one empty section, in the draft's language. */
export function blankDraft(locale: Locale): Y.Doc {
	const doc = new Y.Doc();
	sectionsOf(doc).insert(0, [newSection(m.draft_section_new({}, { locale }))]);
	return doc;
}
