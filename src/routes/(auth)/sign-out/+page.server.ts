import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { forgetUser } from '$lib/server/user-cache';

export const load = (() => redirect(303, '/')) satisfies PageServerLoad;

export const actions = {
	default: async ({ locals, url }) => {
		forgetUser((await locals.supabase.auth.getSession()).data.session?.access_token);
		await locals.supabase.auth.signOut();
		// The "account deleted" page clears the phone through here and comes back
		// to it, so the person reads that her account is gone (not a sign-in form).
		redirect(303, url.searchParams.has('deleted') ? '/account-deleted?cleared=1' : '/sign-in?signed_out=1');
	}
} satisfies Actions;
