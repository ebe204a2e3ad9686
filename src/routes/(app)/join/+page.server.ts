import { refuse, readString } from '$lib/ui/form';
import { m } from '$lib/paraglide/messages';
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import type { Client } from '$lib/supabase/types';
import { isInviteCode, normaliseInviteCode, type Invitation } from '$lib/spaces/invite-code';
import { inviteState, redeemInvite } from '$lib/spaces/queries';
import { databaseProblem, unusableCodeProblem } from '$lib/spaces/problems';
import { alreadyMemberPath, readJoinRefusal } from '$lib/spaces/invitation.server';
import { dialogueInviteState } from '$lib/dialogues/queries';

/**
 * Where a code leads this person: somewhere to go (their own space, when they
 * are a member already; a dialogue's pages for a dialogue's code), the space
 * they may join, or why the code does not work and what to do.
 */
async function whereCodeLeads(
	supabase: Client,
	code: string
): Promise<{ to: string } | { space: Invitation['space'] } | { problem: string }> {
	const found = await inviteState(supabase, code);
	if (found.state === 'member') return { to: alreadyMemberPath(found.spaceId) };
	if (found.state === 'usable') return { space: found.space };
	if (found.state !== 'unknown') return { problem: unusableCodeProblem(found.state) };
	// Not a space's code: perhaps a dialogue's (one paper note, one place to type it).
	const dialogue = await dialogueInviteState(supabase, code);
	if (dialogue.state === 'reader') return { to: `/dialogues/${dialogue.dialogueId}?already=1` };
	if (dialogue.state === 'usable') return { to: `/dialogues/join?code=${code}` };
	return { problem: unusableCodeProblem(dialogue.state) };
}

export const load = (async ({ url, locals }) => {
	const code = url.searchParams.get('code') ?? '';
	const normalised = normaliseInviteCode(code);
	// Sent here after signing in with an invitation that could not be used: say why.
	const refused = readJoinRefusal(url.searchParams.get('refused'));
	const said = refused ? databaseProblem({ code: 'P0001', message: refused }) : null;
	if (!isInviteCode(normalised)) return { code, space: null, problem: said };
	const where = await whereCodeLeads(locals.supabase, normalised);
	if ('to' in where) redirect(303, where.to);
	return {
		code,
		space: 'space' in where ? where.space : null,
		problem: said ?? ('problem' in where ? where.problem : null)
	};
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals }) => {
		const code = readString(await request.formData(), 'code').trim();
		const normalised = normaliseInviteCode(code);
		if (!isInviteCode(normalised)) {
			return refuse(400, { code: m.error_invite_code_format() }, { code });
		}
		const { data: spaceId, error } = await redeemInvite(locals.supabase, normalised);
		if (!error && spaceId) redirect(303, `/spaces/${spaceId}?welcome=1`);
		// A removed member's old code: the database's word says it best.
		if (error?.message.includes('removed_from_space')) {
			return refuse(400, { code: databaseProblem(error) }, { code });
		}
		const where = await whereCodeLeads(locals.supabase, normalised);
		if ('to' in where) redirect(303, where.to);
		return refuse(400, { code: 'problem' in where ? where.problem : databaseProblem(error) }, { code });
	}
} satisfies Actions;

// No client code: the form (or the links) work as plain HTML, so the page ships no JavaScript (issue 14).
export const csr = false;
