// What a notification says, in the recipient's language, from one bundle the
// worker claimed (claim_push_jobs). Shared with the service worker: the shape
// of PushMessage is what src/lib/push/sw.ts shows.
import { m } from '$lib/paraglide/messages';
import { isLocale } from '$lib/i18n/locales';
import type { Locale } from '$lib/paraglide/runtime';
import type { Database } from '$lib/supabase/database.types';

type ClaimRow = Database['public']['Functions']['claim_push_jobs']['Returns'][number];
/** What claim_push_jobs returns per person and thread; the generated types miss which columns may be null. */
type AlwaysSet =
	| 'user_id'
	| 'group_key'
	| 'job_ids'
	| 'kind'
	| 'language'
	| 'space_id'
	| 'space_name'
	| 'sensitive'
	| 'is_dialogue'
	| 'anonymous'
	| 'gathered'
	| 'subscriptions';
export type PushBundle = { [K in keyof ClaimRow]: K extends AlwaysSet ? ClaimRow[K] : ClaimRow[K] | null };
export type PushKind = Database['public']['Enums']['push_kind'];

/** The JSON a push carries (encrypted end to end: the push service cannot read it). */
export interface PushMessage {
	title: string;
	body: string;
	/** A path inside the app; the service worker opens nothing else. */
	url: string;
	/** One notification per thread or action: a newer one replaces it on the phone. */
	tag: string;
	lang: Locale;
}

const EXCERPT_MAX = 120;

/** Plain text for a notification: no markdown marks, one line, cut at a word where possible. */
export function excerpt(text: string | null, max = EXCERPT_MAX): string {
	const plain = (text ?? '')
		.replace(/\*\*|__/g, '')
		.replace(/^\s*[-*]\s+/gm, '')
		.replace(/\s+/g, ' ')
		.trim();
	if (plain.length <= max) return plain;
	const cut = plain.slice(0, max);
	const space = cut.lastIndexOf(' ');
	return `${space > max / 2 ? cut.slice(0, space) : cut.slice(0, max - 1)}…`;
}

export function urlFor(
	b: Pick<PushBundle, 'space_id' | 'thread_id' | 'is_dialogue' | 'action_id'> & { kind?: PushKind }
): string {
	// Safe spaces (issue 26): reports, notices and concerns open their own pages.
	if (b.kind === 'report') return `/spaces/${b.space_id}/moderation`;
	if (b.kind === 'concern' || b.kind === 'concern_answer') return `/spaces/${b.space_id}/concerns`;
	if (b.kind === 'moderation_notice') return '/account#notices';
	if (b.action_id && b.thread_id) return `/dialogues/${b.thread_id}/actions/${b.action_id}`;
	if (b.thread_id && b.is_dialogue) return `/dialogues/${b.thread_id}`;
	if (b.thread_id) return `/spaces/${b.space_id}/threads/${b.thread_id}`;
	return `/spaces/${b.space_id}`;
}

export function notificationFor(b: PushBundle): PushMessage {
	const locale: Locale = isLocale(b.language) ? b.language : 'en';
	const o = { locale };
	const base = { url: urlFor(b), tag: b.group_key, lang: locale };
	if (b.sensitive) {
		return {
			...base,
			title: m.push_sensitive_title({ space: b.space_name }, o),
			body: m.push_sensitive_body({}, o)
		};
	}
	const thread = b.thread_title ?? '';
	const action = excerpt(b.action_description);
	switch (b.kind) {
		case 'action_assigned':
			return { ...base, title: m.push_action_assigned_title({}, o), body: action };
		case 'action_overdue':
			return { ...base, title: m.push_action_overdue_title({}, o), body: action };
		case 'meeting_reminder':
			return { ...base, title: m.push_meeting_title({ thread }, o), body: '' };
		// Safe spaces: never a post's, a thread's or a concern's words, only the space's name.
		case 'report':
			return {
				...base,
				title: m.push_report_title({ space: b.space_name }, o),
				body: m.push_report_body({}, o)
			};
		case 'moderation_notice':
			return {
				...base,
				title: m.push_notice_title({ space: b.space_name }, o),
				body: m.push_notice_body({}, o)
			};
		case 'concern':
			return {
				...base,
				title: m.push_concern_title({ space: b.space_name }, o),
				body: m.push_sensitive_body({}, o)
			};
		case 'concern_answer':
			return { ...base, title: m.push_concern_answer_title({}, o), body: m.push_sensitive_body({}, o) };
	}
	const name = b.anonymous
		? m.dialogue_anonymous_author({ space: b.space_name }, o)
		: b.author_name || m.push_someone({}, o);
	const text = excerpt(b.excerpt);
	if (b.gathered > 1) {
		return {
			...base,
			title: m.push_many_title({ count: b.gathered, thread }, o),
			body: text ? `${name}: ${text}` : name
		};
	}
	const title =
		b.kind === 'mention'
			? m.push_mention_title({ name, thread }, o)
			: b.kind === 'dialogue_post'
				? m.push_dialogue_title({ name, thread }, o)
				: m.push_reply_title({ name, thread }, o);
	return { ...base, title, body: text };
}

/** Push urgency and how long a push service keeps it for a phone that is off (RFC 8030). */
export function deliveryFor(kind: PushKind): { urgency: 'low' | 'normal'; ttlSeconds: number } {
	if (kind === 'action_overdue') return { urgency: 'low', ttlSeconds: 3 * 86_400 };
	if (kind === 'dialogue_post') return { urgency: 'normal', ttlSeconds: 86_400 };
	return { urgency: 'normal', ttlSeconds: 2 * 86_400 };
}
