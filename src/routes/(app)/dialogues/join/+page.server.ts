// Joining one dialogue as a guest: the code (from the link or typed from
// paper) and the badge shown on every post: who you speak for. Someone who
// takes part already (a member of the convening space, or a guest) is sent
// into the dialogue; a code that does not work says why.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages';
import { refuse } from '$lib/ui/form';
import { isInviteCode, normaliseInviteCode } from '$lib/spaces/invite-code';
import { unusableCodeProblem } from '$lib/spaces/problems';
import { dialogueInviteState, joinDialogue } from '$lib/dialogues/queries';
import { readJoinForm } from '$lib/dialogues/form';
import { dialogueProblem } from '$lib/dialogues/problems';

const inDialogue = (id: string) => `/dialogues/${id}?already=1`;

export const load = (async ({ locals, url }) => {
	const code = normaliseInviteCode(url.searchParams.get('code') ?? '');
	if (!isInviteCode(code)) return { code, preview: null, problem: null };
	const found = await dialogueInviteState(locals.supabase, code);
	if (found.state === 'reader') redirect(303, inDialogue(found.dialogueId));
	if (found.state === 'usable') {
		return { code, preview: { title: found.title, space_name: found.spaceName }, problem: null };
	}
	return { code, preview: null, problem: unusableCodeProblem(found.state) };
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals }) => {
		const { values, problems, ok } = readJoinForm(await request.formData());
		const code = normaliseInviteCode(values.code);
		if (!isInviteCode(code)) problems.code = m.error_invite_code_format();
		if (!ok || problems.code) return refuse(400, problems, { values });
		const { data, error: failed } = await joinDialogue(locals.supabase, { ...values, code });
		if (!failed && data) redirect(303, `/dialogues/${data}`);
		// Already in it (a member, a guest), or a code that no longer works: say which.
		if (failed?.message.match(/already_member|already_guest|invite_not_found|invite_expired/)) {
			const found = await dialogueInviteState(locals.supabase, code);
			if (found.state === 'reader') redirect(303, inDialogue(found.dialogueId));
			if (found.state !== 'usable')
				return refuse(400, { code: unusableCodeProblem(found.state) }, { values });
		}
		return refuse(400, { code: dialogueProblem(failed) }, { values });
	}
} satisfies Actions;

// No client code: the form (or the links) work as plain HTML, so the page ships no JavaScript (issue 14).
export const csr = false;
