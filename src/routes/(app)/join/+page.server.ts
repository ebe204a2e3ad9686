import { refuse, readString } from '$lib/ui/form';
import { m } from '$lib/paraglide/messages';
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { normaliseInviteCode } from '$lib/spaces/invite-code';
import { redeemInvite } from '$lib/spaces/queries';
import { databaseProblem } from '$lib/spaces/problems';
import { invitePreview } from '$lib/dialogues/queries';

export const load = (({ url }) => ({ code: url.searchParams.get('code') ?? '' })) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals }) => {
		const code = readString(await request.formData(), 'code').trim();
		if (!/^[A-HJKMNP-Z2-9]{8}$/.test(normaliseInviteCode(code))) {
			return refuse(400, { code: m.error_invite_code_format() }, { code });
		}
		const { data: spaceId, error } = await redeemInvite(locals.supabase, code);
		// Not a space's code: perhaps a dialogue's (one paper note, one place to type it).
		if (error?.message.includes('invite_not_found') && (await invitePreview(locals.supabase, code))) {
			redirect(303, `/dialogues/join?code=${normaliseInviteCode(code)}`);
		}
		if (error || !spaceId) return refuse(400, { code: databaseProblem(error) }, { code });
		redirect(303, `/spaces/${spaceId}`);
	}
} satisfies Actions;
