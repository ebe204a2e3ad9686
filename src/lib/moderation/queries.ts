// The moderation capability's calls, as the signed-in person (their session
// client): every rule is in the database (supabase/schemas/moderation.sql).
import type { Client } from '$lib/supabase/types';
import type { ReportReason } from './limits';

export interface ReportedPost {
	post_id: string;
	thread_id: string;
	thread_title: string;
	is_dialogue: boolean;
	body: string;
	created_at: string;
	hidden_at: string | null;
	deleted_at: string | null;
	anonymous: boolean;
	author_id: string | null;
	author: string;
	author_is_guest: boolean;
	author_new: boolean;
	/** reporter: the reporter's name, for facilitators only (null for other moderators). */
	reports: { reason: ReportReason; note: string; created_at: string; reporter: string | null }[];
}

export interface ModerationNotice {
	id: string;
	space_id: string;
	space_name: string;
	thread_id: string | null;
	post_outcome: 'hidden' | 'restored' | 'removed' | 'none';
	warned: boolean;
	muted_until: string | null;
	reason: string;
	created_at: string;
	seen: boolean;
}

export interface AuditEntry {
	id: number;
	at: string;
	action: string;
	reason: string;
	details: Record<string, unknown>;
	thread_id: string | null;
	post_id: string | null;
	actor: string | null;
	actor_known: boolean;
	subject: string | null;
	subject_known: boolean;
}

/** The post a report page is about, if the person may read it (RLS decides). */
export async function postForReport(supabase: Client, postId: string) {
	const { data } = await supabase
		.from('posts')
		.select('id, body, author_id, anonymous, thread_id, space_id, deleted_at')
		.eq('id', postId)
		.maybeSingle();
	if (!data) return null;
	const [{ data: author }, { data: thread }] = await Promise.all([
		data.author_id
			? supabase.from('profiles').select('display_name').eq('id', data.author_id).maybeSingle()
			: { data: null },
		supabase.from('threads').select('title, is_dialogue').eq('id', data.thread_id).maybeSingle()
	]);
	return {
		id: data.id,
		body: data.body,
		authorId: data.author_id,
		anonymous: data.anonymous,
		authorName: author?.display_name ?? '',
		threadId: data.thread_id,
		spaceId: data.space_id,
		threadTitle: thread?.title ?? '',
		isDialogue: thread?.is_dialogue ?? false,
		removed: !!data.deleted_at
	};
}

export const reportPost = (
	supabase: Client,
	id: string,
	postId: string,
	reason: ReportReason,
	note: string
) => supabase.rpc('report_post', { p_id: id, p_post: postId, p_reason: reason, p_note: note });

export async function moderationQueue(supabase: Client, spaceId: string): Promise<ReportedPost[]> {
	const { data } = await supabase.rpc('moderation_queue', { p_space: spaceId });
	return (data ?? []) as unknown as ReportedPost[];
}

export const moderatePost = (
	supabase: Client,
	decision: {
		postId: string;
		keep: boolean;
		person: 'none' | 'warn' | 'mute';
		muteDays: number | null;
		reason: string;
	}
) =>
	supabase.rpc('moderate_post', {
		p_post: decision.postId,
		p_keep: decision.keep,
		p_person: decision.person,
		p_mute_days: decision.muteDays as number,
		p_reason: decision.reason
	});

export const liftLimits = (supabase: Client, spaceId: string, userId: string) =>
	supabase.rpc('lift_new_account_limits', { p_space: spaceId, p_user: userId });

export async function spaceSafetySettings(supabase: Client, spaceId: string) {
	const { data } = await supabase
		.from('spaces')
		.select('hide_after_reports, new_account_limits')
		.eq('id', spaceId)
		.maybeSingle();
	return data;
}

export const saveSpaceSafety = (supabase: Client, spaceId: string, hideAfter: number, limits: boolean) =>
	supabase
		.from('spaces')
		.update({ hide_after_reports: hideAfter, new_account_limits: limits })
		.eq('id', spaceId)
		.select('id');

export async function spaceAudit(supabase: Client, spaceId: string): Promise<AuditEntry[]> {
	const { data } = await supabase.rpc('space_audit', { p_space: spaceId, p_limit: 300 });
	return (data ?? []) as unknown as AuditEntry[];
}

export async function myNotices(supabase: Client): Promise<ModerationNotice[]> {
	const { data } = await supabase.rpc('my_moderation_notices');
	return (data ?? []) as unknown as ModerationNotice[];
}

export const markNoticesSeen = (supabase: Client) => supabase.rpc('mark_moderation_notices_seen');

export const setPersonFilter = (supabase: Client, otherId: string, kind: 'mute' | 'block', on: boolean) =>
	supabase.rpc('set_person_filter', { p_other: otherId, p_kind: kind, p_on: on });

/** The people I muted or blocked, with their names when I still see them. */
export async function myFilters(supabase: Client) {
	const { data } = await supabase
		.from('person_filters')
		.select('other_id, kind, created_at')
		.order('created_at');
	const ids = [...new Set((data ?? []).map((f) => f.other_id))];
	const { data: names } = ids.length
		? await supabase.from('profiles').select('id, display_name').in('id', ids)
		: { data: [] };
	const nameOf = new Map((names ?? []).map((n) => [n.id, n.display_name]));
	return (data ?? []).map((f) => ({ ...f, name: nameOf.get(f.other_id) ?? '' }));
}

/** The people whose posts fold away for me (my mutes). */
export async function mutedIds(supabase: Client): Promise<string[]> {
	const { data } = await supabase.from('person_filters').select('other_id').eq('kind', 'mute');
	return (data ?? []).map((f) => f.other_id);
}
