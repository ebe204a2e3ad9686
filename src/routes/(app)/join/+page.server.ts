import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { normaliseInviteCode } from '$lib/spaces/invite-code';
import { redeemInvite } from '$lib/spaces/queries';
import { databaseProblem } from '$lib/spaces/problems';
import { problem } from '$lib/i18n/problem';

export const load = (({ url }) => ({ code: url.searchParams.get('code') ?? '' })) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, locals }) => {
		const code = String((await request.formData()).get('code') ?? '').trim();
		if (!/^[A-HJKMNP-Z2-9]{8}$/.test(normaliseInviteCode(code))) {
			return fail(400, { code, problems: { code: problem('error_invite_code_format') } });
		}
		const { data: spaceId, error } = await redeemInvite(locals.supabase, code);
		if (error || !spaceId) return fail(400, { code, problems: { code: databaseProblem(error) } });
		redirect(303, `/spaces/${spaceId}`);
	}
} satisfies Actions;
