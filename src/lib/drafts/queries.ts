// Drafts: reading and writing through supabase-js as the person, so the
// policies and RPCs of 20261122000700_drafts.sql decide (members of the
// draft's space only). The Yjs side (compaction, restore) is in *.server.ts.
import type { Client } from '$lib/supabase/types';
import { displayNames } from '$lib/supabase/types';
import type { Json } from '$lib/supabase/database.types';
import type { Locale } from '$lib/paraglide/runtime';
import { emptyProjection, type DraftKind, type Projection } from './types';
import { fromBase64 } from './base64';
import type { MemberSpace } from '$lib/spaces/queries';

const asProjection = (value: Json | null | undefined): Projection =>
	value && typeof value === 'object' && !Array.isArray(value)
		? { ...emptyProjection(), ...(value as unknown as Projection) }
		: emptyProjection();

/** A space's drafts, most recently edited first. */
export async function spaceDrafts(supabase: Client, spaceId: string) {
	const { data, error } = await supabase
		.from('drafts')
		.select('id, title, kind, language, last_edit_at, budget_total::text, budget_currency')
		.eq('space_id', spaceId)
		.order('last_edit_at', { ascending: false })
		.limit(200);
	if (error) throw error;
	return data ?? [];
}

/** One draft with its projections (no Yjs); null when I may not read it. */
export async function draftForReading(supabase: Client, draftId: string) {
	const { data } = await supabase
		.from('drafts')
		.select(
			'id, space_id, title, kind, language, created_by, created_at, last_edit_at, head_seq, snapshot_seq, projection, budget_total, budget_currency'
		)
		.eq('id', draftId)
		.maybeSingle();
	return data ? { ...data, projection: asProjection(data.projection) } : null;
}

type DraftReading = NonNullable<Awaited<ReturnType<typeof draftForReading>>>;
type CommentRow = {
	id: string;
	section_id: string;
	parent_id: string | null;
	body: string;
	created_by: string | null;
	created_at: string;
	resolved_at: string | null;
	resolved_by: string | null;
	author: string;
	resolver: string | null;
};

/** Top-level comments with their replies, oldest first. */
const threaded = (named: CommentRow[]) =>
	named
		.filter((r) => !r.parent_id)
		.map((r) => ({ ...r, replies: named.filter((reply) => reply.parent_id === r.id) }));

export type DraftComment = ReturnType<typeof threaded>[number];

/**
 * A draft's page in one call (open_draft_page(), as the caller, under the
 * policies): the space's header (null when I am not a member), the draft with
 * its projections as of its snapshot (null when I may not read it or it is
 * another space's) and, for the reading page, its comments with names.
 */
export async function openDraftPage(
	supabase: Client,
	spaceId: string,
	draftId: string,
	withComments: boolean
) {
	const { data, error } = await supabase.rpc('open_draft_page', {
		p_space: spaceId,
		p_draft: draftId,
		p_comments: withComments
	});
	if (error) throw error;
	if (!data) return null;
	const page = data as unknown as {
		space: MemberSpace | null;
		draft: (Omit<DraftReading, 'projection'> & { projection: Json }) | null;
		comments: CommentRow[] | null;
	};
	return {
		space: page.space,
		draft: page.draft && { ...page.draft, projection: asProjection(page.draft.projection) },
		comments: threaded(page.comments ?? [])
	};
}

export const addComment = (
	supabase: Client,
	input: {
		id: string;
		draftId: string;
		sectionId: string;
		parentId: string | null;
		body: string;
		userId: string;
	}
) =>
	supabase.from('draft_comments').upsert(
		{
			id: input.id,
			draft_id: input.draftId,
			section_id: input.sectionId,
			parent_id: input.parentId,
			body: input.body,
			created_by: input.userId
		},
		{ onConflict: 'id', ignoreDuplicates: true }
	);

export const setCommentResolved = (supabase: Client, commentId: string, resolved: boolean) =>
	supabase
		.from('draft_comments')
		.update({ resolved_at: resolved ? new Date().toISOString() : null })
		.eq('id', commentId)
		.select('id');

export async function draftVersions(supabase: Client, draftId: string) {
	const { data } = await supabase
		.from('draft_versions')
		.select('id, name, seq, created_by, created_at')
		.eq('draft_id', draftId)
		.order('created_at', { ascending: false })
		.limit(200);
	const rows = data ?? [];
	const names = await displayNames(
		supabase,
		rows.map((r) => r.created_by)
	);
	return rows.map((r) => ({ ...r, author: names.get(r.created_by ?? '') ?? '' }));
}

export async function draftVersion(supabase: Client, draftId: string, versionId: string) {
	const { data } = await supabase
		.from('draft_versions')
		.select('id, name, seq, created_by, created_at, projection')
		.eq('draft_id', draftId)
		.eq('id', versionId)
		.maybeSingle();
	return data ? { ...data, projection: asProjection(data.projection) } : null;
}

export const saveVersion = (supabase: Client, input: { id: string; draftId: string; name: string }) =>
	supabase.rpc('save_draft_version', { p_id: input.id, p_draft: input.draftId, p_name: input.name });

export async function draftHistory(supabase: Client, draftId: string) {
	const { data } = await supabase
		.from('draft_history')
		.select('id, user_id, scope, first_at, last_at, changes, note')
		.eq('draft_id', draftId)
		.order('last_at', { ascending: false })
		.limit(200);
	const rows = data ?? [];
	const names = await displayNames(
		supabase,
		rows.map((r) => r.user_id)
	);
	return rows.map((r) => ({ ...r, name: r.user_id ? (names.get(r.user_id) ?? null) : null }));
}

/** Saved templates this person may start from: their spaces' and the network's. */
export async function savedTemplates(supabase: Client, spaceId: string) {
	const { data } = await supabase
		.from('draft_templates')
		.select('id, space_id, kind, title, language')
		.or(`space_id.eq.${spaceId},space_id.is.null`)
		.order('created_at', { ascending: false })
		.limit(100);
	return data ?? [];
}

export const saveTemplate = (
	supabase: Client,
	input: { id: string; draftId: string; title: string; network: boolean }
) =>
	supabase.rpc('save_draft_as_template', {
		p_id: input.id,
		p_draft: input.draftId,
		p_title: input.title,
		p_network: input.network
	});

/** A new draft whose first content (a Yjs update, base64) is the creator's first update in the log. */
export const createDraftRow = (
	supabase: Client,
	input: { id: string; spaceId: string; kind: DraftKind; title: string; language: Locale; content: string }
) =>
	supabase.rpc('create_draft', {
		p_id: input.id,
		p_space: input.spaceId,
		p_kind: input.kind,
		p_title: input.title,
		p_language: input.language,
		p_content: input.content
	});

/** A new draft copied from a saved template, in the database. */
export const createDraftFromTemplate = (
	supabase: Client,
	input: { id: string; spaceId: string; templateId: string; title: string; language: Locale }
) =>
	supabase.rpc('create_draft_from_template', {
		p_id: input.id,
		p_space: input.spaceId,
		p_template: input.templateId,
		p_title: input.title,
		p_language: input.language
	});

export type CatchUp = {
	/** The document's epoch (a rebase begins a new one: ./rebase.ts). */
	epoch: number;
	headSeq: number;
	snapshotSeq: number;
	/** Yjs updates as bytes (decoded here from the database's base64). */
	snapshot: Uint8Array | null;
	updates: { seq: number; data: Uint8Array }[];
};

/**
 * The snapshot (when I am behind it) and the logged updates after `after`;
 * null when I may not edit. A client on another epoch than the document's
 * (`epoch`; null when it has nothing yet) gets the whole current document.
 */
export async function catchUp(
	supabase: Client,
	draftId: string,
	after: number,
	limit = 500,
	epoch: number | null = null
): Promise<CatchUp | null> {
	const { data, error } = await supabase.rpc('draft_catch_up_at', {
		p_draft: draftId,
		p_epoch: epoch as number,
		p_after: after,
		p_limit: limit
	});
	if (error) throw error;
	const row = data?.[0];
	if (!row) return null;
	return {
		epoch: Number(row.epoch),
		headSeq: Number(row.head_seq),
		snapshotSeq: Number(row.snapshot_seq),
		snapshot: row.snapshot ? fromBase64(row.snapshot) : null,
		updates: ((row.updates ?? []) as { seq: number; data: string }[]).map((u) => ({
			seq: Number(u.seq),
			data: fromBase64(u.data)
		}))
	};
}

/** Stores an update made on the document's `epoch` (stale_epoch when the draft was rebased since). */
export const pushUpdate = (
	supabase: Client,
	input: { id: string; draftId: string; update: string; scope: string; epoch: number; announce?: boolean }
) =>
	supabase.rpc('push_draft_update_at', {
		p_epoch: input.epoch,
		p_id: input.id,
		p_draft: input.draftId,
		p_update: input.update,
		p_scope: input.scope,
		p_announce: input.announce ?? false
	});

/** The document my epoch ended with (base64), to carry my unsent changes over a rebase; null when none. */
export const rebaseBase = async (supabase: Client, draftId: string, epoch: number) => {
	const { data, error } = await supabase.rpc('draft_rebase_base', { p_draft: draftId, p_epoch: epoch });
	if (error) throw error;
	return data ?? null;
};

export const versionSnapshot = async (supabase: Client, versionId: string) =>
	(await supabase.rpc('draft_version_snapshot', { p_version: versionId })).data ?? null;

export const noteRestore = (supabase: Client, draftId: string, versionId: string) =>
	supabase.rpc('note_draft_restore', { p_draft: draftId, p_version: versionId });

/** My cursor (a y-protocols awareness update, base64) to the draft's other editors, stamped with who I am. */
export const shareAwareness = (supabase: Client, draftId: string, state: string, hello: boolean) =>
	supabase.rpc('draft_awareness', { p_draft: draftId, p_state: state, p_hello: hello });
