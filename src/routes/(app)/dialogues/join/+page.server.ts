// Joining one dialogue as a guest: the code (from the link or typed from
// paper) and the badge shown on every post: who you speak for.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages';
import { refuse } from '$lib/ui/form';
import { normaliseInviteCode } from '$lib/spaces/invite-code';
import { invitePreview, joinDialogue } from '$lib/dialogues/queries';
import { readJoinForm } from '$lib/dialogues/form';
import { dialogueProblem } from '$lib/dialogues/problems';

export const load = (async ({ locals, url }) => {
	const code = normaliseInviteCode(url.searchParams.get('code') ?? '');
	const preview = code.length === 8 ? await invitePreview(locals.supabase, code) : null;
	return { code, preview };
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals }) => {
		const { values, problems, ok } = readJoinForm(await request.formData());
		const code = normaliseInviteCode(values.code);
		if (code.length !== 8) problems.code = m.error_invite_code_format();
		if (!ok || problems.code) return refuse(400, problems, { values });
		const { data, error: failed } = await joinDialogue(locals.supabase, { ...values, code });
		if (failed || !data) return refuse(400, { code: dialogueProblem(failed) }, { values });
		redirect(303, `/dialogues/${data}`);
	}
} satisfies Actions;

// No client code: the form (or the links) work as plain HTML, so the page ships no JavaScript (issue 14).
export const csr = false;
