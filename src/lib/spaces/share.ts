// The invitation a facilitator or convener sends from their phone (Share, or
// Copy), written in the space's or the dialogue's language, not in the
// language of the person sending it: a Vietnamese club's leader may read the
// app in English, her members read Vietnamese. What it is, the link, and the
// code spelled out for reading aloud.
import { m } from '$lib/paraglide/messages';
import type { Language } from '$lib/vocabulary';
import { spellInviteCode } from './invite-code';

export interface InviteMessage {
	/** What it is, in one line ("Lời mời tham gia CLB … trên Sahakum"). */
	title: string;
	/** The whole message: what it is, the link, the code spelled out. */
	text: string;
	link: string;
	/** The message's language (for `lang` on the page that shows it). */
	lang: Language;
}

/** The link an invite code opens: /join for a space, /dialogues/join for a dialogue. */
export const inviteLink = (origin: string, kind: 'space' | 'dialogue', code: string) =>
	`${origin}${kind === 'space' ? '/join' : '/dialogues/join'}?code=${code}`;

export function inviteMessage(
	input: { origin: string; code: string; lang: Language } & (
		{ kind: 'space'; name: string } | { kind: 'dialogue'; title: string; space: string }
	)
): InviteMessage {
	const locale = { locale: input.lang };
	const link = inviteLink(input.origin, input.kind, input.code);
	const title =
		input.kind === 'space'
			? m.share_space_what({ name: input.name }, locale)
			: m.share_dialogue_what({ title: input.title, space: input.space }, locale);
	const text = [
		title,
		m.share_link_line({ link }, locale),
		m.share_code_line({ join: m.home_join({}, locale), code: spellInviteCode(input.code) }, locale)
	].join('\n');
	return { title, text, link, lang: input.lang };
}

/** An invite as the Members and Guests pages list it (InviteList.svelte). */
export interface ListedInvite {
	id: string;
	code: string;
	/** What the code gives, how often it was used, until when (in the reader's language). */
	details: string;
	message: InviteMessage;
	qrHref: string;
	sheetHref: string;
}
