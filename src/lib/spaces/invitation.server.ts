// An invite link that survives signing in or creating an account. The code
// rides along as `?invite=CODE` from /join through sign-in, sign-up, "email me
// a code" and code verification; once the person is who they say, the code is
// redeemed and they land in the space. The confirmation link in an email
// cannot carry it (the email is the same for every sign-up), so sign-up also
// leaves a short-lived HttpOnly cookie naming the code and the address: only
// the person who signed up with that address in this browser joins through it.
// And a new account keeps the code in its user metadata (`invite`) until its
// first sign-in: a sign-up begun on one phone and confirmed on another (the
// SMS arrives on the other phone, or the person borrowed a leader's phone)
// still ends on that invitation's join page. Every way in ends in
// `landingAfterSignIn`. A dialogue's guest invite travels the same way: the
// join page it ends on sends a dialogue's code on to the guest form.
import type { Cookies } from '@sveltejs/kit';
import type { User } from '@supabase/supabase-js';
import type { Client } from '$lib/supabase/types';
import { SPACE_INVITE_COOKIE } from '$lib/keys';
import { dialogueInviteState, inviteState, redeemInvite } from './queries';
import { isInviteCode, readInviteParam, usableCode, type Invitation } from './invite-code';

/** The invitation in the page's URL, with its space's name when the code can still be used, or why not. */
export async function invitationFrom(supabase: Client, url: URL): Promise<Invitation | null> {
	const code = readInviteParam(url);
	if (!code) return null;
	const found = await inviteState(supabase, code);
	if ('space' in found) return { code, space: found.space };
	if (found.state !== 'unknown') return { code, space: null, unusable: found.state };
	// Not a space's code: a dialogue's guest invite (a landlord's, a union officer's)
	// rides along the same way and ends on the guest form (the join page sends it there).
	const dialogue = await dialogueInviteState(supabase, code);
	if (dialogue.state === 'usable')
		return { code, space: null, dialogue: { title: dialogue.title, spaceName: dialogue.spaceName } };
	return { code, space: null, unusable: dialogue.state === 'reader' ? undefined : dialogue.state };
}

/** An invitation worth carrying on to the next page (an unusable code is said once, then dropped). */
export const carried = (invitation: Invitation | null) => usableCode(invitation);

// Refusals the join page can explain after a sign-in (the database's stable words).
const REFUSALS = ['invite_not_found', 'invite_expired', 'already_member', 'removed_from_space'] as const;
export const readJoinRefusal = (value: string | null) => REFUSALS.find((word) => word === value) ?? null;

/**
 * Right after signing in or confirming an account: join with the code. Where
 * to go next: the space, welcomed; the space, when they were a member already
 * (leaders post the same link again and again); or the join page saying why
 * not (a removed member's old code, an expired one…).
 */
export async function joinAfterSignIn(supabase: Client, code: string): Promise<string> {
	const { data: spaceId, error } = await redeemInvite(supabase, code);
	if (!error && spaceId) return `/spaces/${spaceId}?welcome=1`;
	if (error?.message.includes('already_member')) {
		const found = await inviteState(supabase, code);
		if (found.state === 'member') return alreadyMemberPath(found.spaceId);
	}
	const word = REFUSALS.find((w) => error?.message.includes(w));
	return `/join?code=${code}${word ? `&refused=${word}` : ''}`;
}

/** A member who opened their space's invite again: the space, with a gentle word. */
export const alreadyMemberPath = (spaceId: string) => `/spaces/${spaceId}?already=1`;

const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, maxAge: 60 * 60 };

/** Sign-up with an invitation: the emailed confirmation link can finish the join (same address, same browser, within an hour). */
export function rememberInvite(cookies: Cookies, code: string, email: string) {
	cookies.set(SPACE_INVITE_COOKIE, `${code}:${email.toLowerCase()}`, cookieOptions);
}

/** The code remembered for this address, forgotten as it is read. */
function takeRememberedInvite(cookies: Cookies, email: string | undefined): string | null {
	const value = cookies.get(SPACE_INVITE_COOKIE);
	if (!value) return null;
	cookies.delete(SPACE_INVITE_COOKIE, { path: '/' });
	const [code, address] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)];
	return isInviteCode(code) && !!email && address === email.toLowerCase() ? code : null;
}

/** Sign-up metadata that keeps the invite with the new account until its first sign-in. */
export const inviteMetadata = (code: string | null) => (code ? { invite: code } : {});

/** The invite a new account was made with (its user metadata), if any. */
function savedInvite(user: Pick<User, 'user_metadata'>): string | null {
	const value: unknown = user.user_metadata?.invite;
	return typeof value === 'string' && isInviteCode(value) ? value : null;
}

/**
 * Where a person goes once they are who they say (a right code): the space
 * of the invite they came with in this browser (the page's `?invite=`, or the
 * sign-up cookie), joined at once; else the join page for the invite saved
 * with their new account (confirmed on another phone or browser), which shows
 * the space and asks before joining: whoever typed a wrong number or address
 * at sign-up gave that account's owner the invite, who should see it, not be
 * put in a space they never asked for; else `fallback`. The saved invite is
 * forgotten once shown, so it is never shown twice.
 */
export async function landingAfterSignIn(
	supabase: Client,
	cookies: Cookies,
	url: URL,
	user: Pick<User, 'email' | 'user_metadata'>,
	fallback = '/'
): Promise<string> {
	const remembered = takeRememberedInvite(cookies, user.email || undefined);
	const saved = savedInvite(user);
	if (saved) {
		const { error } = await supabase.auth.updateUser({ data: { invite: null } });
		if (error) console.error(`invite: the saved invite was not forgotten: ${error.message}`);
	}
	const invite = readInviteParam(url) ?? remembered;
	if (invite) return joinAfterSignIn(supabase, invite);
	return saved ? `/join?code=${saved}` : fallback;
}
