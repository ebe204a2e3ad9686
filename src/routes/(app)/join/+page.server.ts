import { refuse, readString } from '$lib/ui/form';
import { m } from '$lib/paraglide/messages';
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { isInviteCode, normaliseInviteCode } from '$lib/spaces/invite-code';
import { invitePreview, redeemInvite } from '$lib/spaces/queries';
import { databaseProblem } from '$lib/spaces/problems';
import { readJoinRefusal } from '$lib/spaces/invitation.server';
import { invitePreview as dialogueInvitePreview } from '$lib/dialogues/queries';

export const load = (async ({ url, locals }) => {
	const code = url.searchParams.get('code') ?? '';
	const normalised = normaliseInviteCode(code);
	// Sent here after signing in with an invitation that could not be used: say why.
	const refused = readJoinRefusal(url.searchParams.get('refused'));
	return {
		code,
		space: isInviteCode(normalised) ? await invitePreview(locals.supabase, normalised) : null,
		refused: refused ? databaseProblem({ code: 'P0001', message: refused }) : null
	};
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals }) => {
		const code = readString(await request.formData(), 'code').trim();
		if (!isInviteCode(normaliseInviteCode(code))) {
			return refuse(400, { code: m.error_invite_code_format() }, { code });
		}
		const { data: spaceId, error } = await redeemInvite(locals.supabase, code);
		// Not a space's code: perhaps a dialogue's (one paper note, one place to type it).
		if (error?.message.includes('invite_not_found') && (await dialogueInvitePreview(locals.supabase, code))) {
			redirect(303, `/dialogues/join?code=${normaliseInviteCode(code)}`);
		}
		if (error || !spaceId) return refuse(400, { code: databaseProblem(error) }, { code });
		redirect(303, `/spaces/${spaceId}?welcome=1`);
	}
} satisfies Actions;

// No client code: the form (or the links) work as plain HTML, so the page ships no JavaScript (issue 14).
export const csr = false;
