// Dialogues: reading and writing through supabase-js as the person, so the
// policies and RPCs of 20261122000600_dialogues.sql decide what a member, a
// convener or a guest may see and do.
import type { Client } from '$lib/supabase/types';
import { displayNames } from '$lib/supabase/types';
import { reply, threadPageOf, threadWithPosts, type PageJson } from '$lib/threads/queries';
import type { Database } from '$lib/supabase/database.types';
import { generateInviteCode } from '$lib/spaces/invite-code';
import type { MemberSpace } from '$lib/spaces/queries';
import type {
	ActionOwnerKind,
	ActionStatus,
	DialogueStatus,
	Language,
	PostOutcome,
	StakeholderType
} from '$lib/vocabulary';

/** The dialogue, its space's name and my standing in it; null when I may not read it. */
export async function dialogueOverview(supabase: Client, dialogueId: string) {
	const { data } = await supabase.rpc('dialogue_overview', { p_dialogue: dialogueId });
	return data?.[0] ?? null;
}

/** A space's dialogues, newest activity first (members only: the policies say so). */
export async function spaceDialogues(supabase: Client, spaceId: string) {
	const { data, error } = await supabase
		.from('dialogues')
		.select('id, status, meeting_at, venue, threads!inner(title, last_activity_at, reply_count, deleted_at)')
		.eq('space_id', spaceId)
		.is('threads.deleted_at', null)
		.order('created_at', { ascending: false })
		.limit(200);
	if (error) throw error;
	return (data ?? []).map((d) => ({
		id: d.id,
		status: d.status,
		meeting_at: d.meeting_at,
		venue: d.venue,
		title: d.threads.title,
		last_activity_at: d.threads.last_activity_at,
		reply_count: d.threads.reply_count
	}));
}

/** The dialogues I am a guest of. */
export async function myDialogues(supabase: Client) {
	const { data } = await supabase.rpc('my_dialogues');
	return data ?? [];
}

export type Guest = {
	user_id: string;
	name: string;
	stakeholder_type: StakeholderType;
	organisation: string;
	position: string;
	muted: boolean;
	removed: boolean;
};

type Found = NonNullable<Awaited<ReturnType<typeof threadWithPosts>>>;
type HiddenAuthor = { post_id: string; author_id: string; name: string };

/** Posts with their writers' badges and, for facilitators, who wrote an anonymous one. */
function withBadges(
	found: Pick<Found, 'thread' | 'posts'>,
	parts: { agenda: Agenda[]; guests: Guest[]; hidden: HiddenAuthor[]; namedMemberIds: string[] },
	userId: string
) {
	const badgeOf = new Map(parts.guests.map((g) => [g.user_id, g]));
	const hiddenAuthor = new Map(parts.hidden.map((h) => [h.post_id, h]));
	const posts = found.posts.map((post) => {
		const writer = hiddenAuthor.get(post.id);
		return {
			...post,
			mine: post.mine || writer?.author_id === userId,
			guest: post.author_id ? (badgeOf.get(post.author_id) ?? null) : null,
			// Facilitators see who wrote an anonymous post; nobody else gets the row.
			hiddenAuthor: post.anonymous && writer && writer.author_id !== userId ? writer.name : null
		};
	});
	return {
		thread: found.thread,
		posts,
		agenda: parts.agenda,
		guests: parts.guests,
		namedMemberIds: parts.namedMemberIds
	};
}

type Agenda = { id: string; position: number; text: string };

/** The dialogue's posts (with badges and anonymous labels), agenda and guests (the report and the guests page). */
export async function dialogueDetail(supabase: Client, dialogueId: string, userId: string) {
	const [found, agenda, guestRows, hidden, named] = await Promise.all([
		threadWithPosts(supabase, dialogueId, userId),
		supabase
			.from('dialogue_agenda_items')
			.select('id, position, text')
			.eq('dialogue_id', dialogueId)
			.order('position'),
		supabase
			.from('dialogue_guests')
			.select('user_id, stakeholder_type, organisation, position, muted_at, removed_at')
			.eq('dialogue_id', dialogueId)
			.order('joined_at'),
		// My own anonymous posts (facilitators also get everyone's, for moderation).
		supabase.from('dialogue_hidden_authors').select('post_id, author_id').eq('dialogue_id', dialogueId),
		supabase.from('dialogue_named_members').select('user_id').eq('dialogue_id', dialogueId)
	]);
	if (!found) return null;
	const names = await displayNames(supabase, [
		...(guestRows.data ?? []).map((g) => g.user_id),
		...(hidden.data ?? []).map((h) => h.author_id)
	]);
	const guests: Guest[] = (guestRows.data ?? []).map((g) => ({
		user_id: g.user_id,
		name: names.get(g.user_id) ?? '',
		stakeholder_type: g.stakeholder_type,
		organisation: g.organisation,
		position: g.position,
		muted: !!g.muted_at,
		removed: !!g.removed_at
	}));
	return withBadges(
		found,
		{
			agenda: agenda.data ?? [],
			guests,
			hidden: (hidden.data ?? []).map((h) => ({ ...h, name: names.get(h.author_id) ?? '' })),
			namedMemberIds: (named.data ?? []).map((n) => n.user_id)
		},
		userId
	);
}

type Overview = Database['public']['Functions']['dialogue_overview']['Returns'][number];

/** open_dialogue()'s answer (supabase/migrations/20261205008000_dialogue_page.sql). */
type OpenedJson = {
	overview: Overview;
	thread: Found['thread'];
	posts: PageJson['posts'];
	agenda: Agenda[];
	guests: Guest[];
	hidden_authors: HiddenAuthor[];
	named_member_ids: string[];
	actions: ActionRow[];
	muted: string[];
	muted_until: string | null;
};

/**
 * The dialogue page's data in one request (open_dialogue(), as the caller,
 * under the policies): what dialogueOverview(), dialogueDetail(),
 * listActions(), mutedIds() and my_posting_limits() give, and my read marker moved
 * unless `markRead` is false; null when I may not read it. `userId` is asked
 * for afterwards, so that the session check can run beside this call.
 */
export async function openDialogue(supabase: Client, dialogueId: string, markRead: boolean) {
	const { data, error } = await supabase.rpc('open_dialogue', {
		p_dialogue: dialogueId,
		p_mark_read: markRead
	});
	if (error || !data) return null;
	const opened = data as unknown as OpenedJson;
	return {
		overview: opened.overview,
		actions: opened.actions,
		muted: opened.muted,
		mutedUntil: opened.muted_until,
		detail: (userId: string) =>
			withBadges(
				threadPageOf({ thread: opened.thread, posts: opened.posts, members: [] }, userId),
				{
					agenda: opened.agenda,
					guests: opened.guests,
					hidden: opened.hidden_authors,
					namedMemberIds: opened.named_member_ids
				},
				userId
			)
	};
}

export const convene = (
	supabase: Client,
	input: {
		id: string;
		spaceId: string;
		title: string;
		purpose: string;
		agenda: string[];
		meetingAt: string | null;
		venue: string;
		language: Language;
	}
) =>
	supabase.rpc('convene_dialogue', {
		p_id: input.id,
		p_space: input.spaceId,
		p_title: input.title,
		p_purpose: input.purpose,
		p_agenda: input.agenda,
		p_meeting_at: input.meetingAt ?? undefined,
		p_venue: input.venue,
		p_language: input.language
	});

export const setDialogueStatus = (supabase: Client, dialogueId: string, status: DialogueStatus) =>
	supabase.from('dialogues').update({ status }).eq('id', dialogueId).select('id');

/** A reply in a dialogue, under my name or "as a member of" the space. Idempotent by id. */
export async function postInDialogue(
	supabase: Client,
	input: { id: string; dialogueId: string; spaceId: string; body: string; anonymous: boolean; userId: string }
) {
	if (input.anonymous) {
		return supabase.rpc('post_anonymously', {
			p_id: input.id,
			p_dialogue: input.dialogueId,
			p_body: input.body
		});
	}
	return reply(supabase, { ...input, threadId: input.dialogueId });
}

export const markOutcome = (supabase: Client, postId: string, outcome: PostOutcome | null) =>
	supabase.rpc('mark_post_outcome', { p_post: postId, p_outcome: outcome as PostOutcome });

export const removeAnonymousPost = (supabase: Client, postId: string) =>
	supabase.rpc('remove_anonymous_post', { p_post: postId });

export const setNamedInReport = async (
	supabase: Client,
	dialogueId: string,
	userId: string,
	named: boolean
) =>
	named
		? supabase.from('dialogue_named_members').upsert({ dialogue_id: dialogueId, user_id: userId })
		: supabase.from('dialogue_named_members').delete().eq('dialogue_id', dialogueId).eq('user_id', userId);

// ---------------------------------------------------------------------------
// Guests and invites.

export async function dialogueInvites(supabase: Client, dialogueId: string) {
	const { data } = await supabase
		.from('dialogue_invites')
		.select('id, code, expires_at, max_uses, uses, revoked_at, created_at')
		.eq('dialogue_id', dialogueId)
		.is('revoked_at', null)
		.order('created_at', { ascending: false });
	return data ?? [];
}

export async function createDialogueInvite(
	supabase: Client,
	input: { dialogueId: string; days: number; maxUses: number | null; userId: string }
) {
	// As for space invites: a collision is about one in 10^11; retry once anyway.
	for (let attempt = 0; ; attempt++) {
		const result = await supabase.from('dialogue_invites').insert({
			dialogue_id: input.dialogueId,
			code: generateInviteCode(),
			expires_at: new Date(Date.now() + input.days * 86_400_000).toISOString(),
			max_uses: input.maxUses,
			created_by: input.userId
		});
		if (attempt > 0 || !result.error?.message.includes('dialogue_invites_code_key')) return result;
	}
}

/** One invite of the dialogue, for its printable page and QR code: conveners only (the policies decide). */
export async function dialogueInvite(supabase: Client, dialogueId: string, inviteId: string) {
	const { data } = await supabase
		.from('dialogue_invites')
		.select('id, code, expires_at')
		.eq('id', inviteId)
		.eq('dialogue_id', dialogueId)
		.maybeSingle();
	return data;
}

export const revokeDialogueInvite = (supabase: Client, inviteId: string) =>
	supabase
		.from('dialogue_invites')
		.update({ revoked_at: new Date().toISOString() })
		.eq('id', inviteId)
		.select('id');

/** Mute (reads, cannot post), unmute, or remove (nothing, from the next request on). */
export const setGuestState = (
	supabase: Client,
	dialogueId: string,
	userId: string,
	change: { muted?: boolean; removed?: true }
) =>
	supabase
		.from('dialogue_guests')
		.update({
			...(change.muted !== undefined ? { muted_at: change.muted ? new Date().toISOString() : null } : {}),
			...(change.removed ? { removed_at: new Date().toISOString() } : {})
		})
		.eq('dialogue_id', dialogueId)
		.eq('user_id', userId)
		.select('user_id');

export const joinDialogue = (
	supabase: Client,
	input: { code: string; stakeholderType: StakeholderType; organisation: string; position: string }
) =>
	supabase.rpc('join_dialogue', {
		p_code: input.code,
		p_stakeholder_type: input.stakeholderType,
		p_organisation: input.organisation,
		p_position: input.position
	});

// ---------------------------------------------------------------------------
// Actions.

export type ActionFilters = {
	status: ActionStatus | null;
	organisation: string | null;
	overdue: boolean;
	dialogueId: string | null;
};

export type ActionRow = Awaited<ReturnType<typeof listActions>>[number];

export async function listActions(supabase: Client, spaceId: string | null, filters: ActionFilters) {
	const { data, error } = await supabase.rpc('list_actions', {
		p_space: spaceId ?? undefined,
		p_dialogue: filters.dialogueId ?? undefined,
		p_status: filters.status ?? undefined,
		p_organisation: filters.organisation ?? undefined,
		p_overdue: filters.overdue
	});
	if (error) throw error;
	const names = await displayNames(
		supabase,
		(data ?? []).map((a) => a.owner_user_id)
	);
	return (data ?? []).map((a) => ({
		...a,
		owner_name: a.owner_user_id ? (names.get(a.owner_user_id) ?? '') : ''
	}));
}

/**
 * An actions page in one call (open_actions(), as the caller, under the
 * policies): every action I see in the space (null: every space and dialogue)
 * and dialogue, with its owner's name; for the page of every action the names
 * of my spaces and of the club that convened each dialogue I am a guest of; for
 * a space its header (null when I am not a member).
 */
export async function openActions(supabase: Client, spaceId: string | null, dialogueId: string | null) {
	const { data, error } = await supabase.rpc('open_actions', {
		...(spaceId ? { p_space: spaceId } : {}),
		...(dialogueId ? { p_dialogue: dialogueId } : {})
	});
	if (error) throw error;
	if (!data) return null;
	const page = data as unknown as {
		space: MemberSpace | null;
		actions: ActionRow[];
		space_names: Record<string, string> | null;
		dialogue_clubs: Record<string, string> | null;
	};
	return {
		space: page.space,
		actions: page.actions,
		spaceNames: page.space_names ?? {},
		clubOfDialogue: page.dialogue_clubs ?? {}
	};
}

/** Agreed / done / overdue (and the rest), as the programme reports them. */
export function actionCounts(actions: { status: ActionStatus; overdue: boolean }[]) {
	return {
		total: actions.length,
		agreed: actions.filter((a) => a.status === 'agreed').length,
		done: actions.filter((a) => a.status === 'done').length,
		inProgress: actions.filter((a) => a.status === 'in_progress').length,
		dropped: actions.filter((a) => a.status === 'dropped').length,
		overdue: actions.filter((a) => a.overdue).length
	};
}

export const agreeAction = (
	supabase: Client,
	input: {
		id: string;
		dialogueId: string;
		description: string;
		ownerKind: ActionOwnerKind;
		ownerUser: string | null;
		ownerOrganisation: string | null;
		supporting: string;
		dueOn: string | null;
		sourcePost: string | null;
	}
) =>
	supabase.rpc('agree_action', {
		p_id: input.id,
		p_dialogue: input.dialogueId,
		p_description: input.description,
		p_owner_kind: input.ownerKind,
		p_owner_user: input.ownerUser ?? undefined,
		p_owner_organisation: input.ownerOrganisation ?? undefined,
		p_supporting: input.supporting,
		p_due_on: input.dueOn ?? undefined,
		p_source_post: input.sourcePost ?? undefined
	});

export async function actionDetail(supabase: Client, actionId: string) {
	const [{ data: rows }, { data: updates }] = await Promise.all([
		supabase
			.from('dialogue_actions')
			.select(
				'id, dialogue_id, space_id, source_post_id, description, owner_kind, owner_user_id, owner_organisation, supporting, due_on, status, dropped_reason, created_at, updated_at, done_at'
			)
			.eq('id', actionId),
		supabase
			.from('action_updates')
			.select('id, body, status, object_path, file_name, mime_type, size_bytes, created_by, created_at')
			.eq('action_id', actionId)
			.order('created_at')
	]);
	const action = rows?.[0];
	if (!action) return null;
	const { data: canUpdate } = await supabase.rpc('can_update_action', { p_action: actionId });
	const names = await displayNames(supabase, [
		action.owner_user_id,
		...(updates ?? []).map((u) => u.created_by)
	]);
	return {
		action: { ...action, owner_name: action.owner_user_id ? (names.get(action.owner_user_id) ?? '') : '' },
		updates: (updates ?? []).map((u) => ({ ...u, author: names.get(u.created_by ?? '') ?? '' })),
		canUpdate: canUpdate === true
	};
}

export const postActionUpdate = (
	supabase: Client,
	input: {
		id: string;
		actionId: string;
		body: string;
		status: ActionStatus | null;
		withFile: boolean;
		fileName: string | null;
	}
) =>
	supabase.rpc('post_action_update', {
		p_id: input.id,
		p_action: input.actionId,
		p_body: input.body,
		p_status: input.status ?? undefined,
		p_with_file: input.withFile,
		p_file_name: input.fileName ?? undefined
	});

export const ACTION_FILES_BUCKET = 'dialogue-files';
export const actionFilePath = (dialogueId: string, actionId: string, updateId: string) =>
	`${dialogueId}/${actionId}/${updateId}`;

/** The file of a progress update, when I may read it. */
export async function actionUpdateFile(supabase: Client, updateId: string) {
	const { data } = await supabase
		.from('action_updates')
		.select('object_path, file_name, mime_type')
		.eq('id', updateId)
		.not('object_path', 'is', null)
		.maybeSingle();
	return data?.object_path ? { ...data, object_path: data.object_path } : null;
}

/** Everything the printed report and its CSV say: issues raised, actions with their latest progress. */
export async function dialogueReport(supabase: Client, dialogueId: string, userId: string) {
	const detail = await dialogueDetail(supabase, dialogueId, userId);
	if (!detail) return null;
	const actions = await listActions(supabase, null, {
		status: null,
		organisation: null,
		overdue: false,
		dialogueId
	});
	const { data: updates } = actions.length
		? await supabase
				.from('action_updates')
				.select('action_id, body, created_at')
				.in(
					'action_id',
					actions.map((a) => a.id)
				)
				.neq('body', '')
				.order('created_at', { ascending: false })
		: { data: [] as { action_id: string; body: string; created_at: string }[] };
	const latest = new Map<string, { body: string; created_at: string }>();
	for (const update of updates ?? []) if (!latest.has(update.action_id)) latest.set(update.action_id, update);
	const named = await displayNames(supabase, detail.namedMemberIds);
	return {
		agenda: detail.agenda,
		guests: detail.guests.filter((g) => !g.removed),
		namedMembers: detail.namedMemberIds.map((id) => named.get(id) ?? '').filter(Boolean),
		issues: detail.posts.filter((p) => p.outcome === 'issue' && !p.deleted_at).map((p) => p.body),
		actions: actions.map((a) => ({ ...a, progress: latest.get(a.id) ?? null }))
	};
}
