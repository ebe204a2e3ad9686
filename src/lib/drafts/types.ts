// The plain shapes of a draft that reading pages, search and export use: the
// projections written at compaction (./projection.ts). Nothing here needs Yjs.

export const DRAFT_KINDS = ['proposal', 'budget', 'plan'] as const;
export type DraftKind = (typeof DRAFT_KINDS)[number];

export const CURRENCIES = ['VND', 'KHR', 'USD'] as const;
export type Currency = (typeof CURRENCIES)[number];

export const ACTIVITY_STATUSES = ['planned', 'in_progress', 'done', 'cancelled'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

/** Rich text as ProseMirror-style JSON, already reduced to what the editor allows. */
export type RichNode = {
	type: 'paragraph' | 'heading' | 'bullet_list' | 'ordered_list' | 'list_item' | 'text' | 'hard_break';
	text?: string;
	level?: number;
	marks?: { type: 'strong' | 'em' | 'link'; href?: string }[];
	content?: RichNode[];
};

export type SectionProjection = { id: string; heading: string; content: RichNode[]; text: string };

export type BudgetLine = {
	id: string;
	category: string;
	description: string;
	/** Exact decimals as typed and normalised ("12", "1.5"); anything else is shown as wrong. */
	quantity: string;
	unit: string;
	unit_cost: string;
};
export type BudgetGroup = { id: string; name: string; lines: BudgetLine[] };
export type BudgetProjection = { currency: Currency; groups: BudgetGroup[] };

export type Activity = {
	id: string;
	title: string;
	/** YYYY-MM-DD or ''. */
	start: string;
	end: string;
	responsible: string;
	location: string;
	status: ActivityStatus;
};

export type Projection = {
	sections: SectionProjection[];
	budget: BudgetProjection | null;
	activities: Activity[];
};

export const emptyProjection = (): Projection => ({ sections: [], budget: null, activities: [] });
