import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { forgetUser } from '$lib/server/user-cache';

export const load = (() => redirect(303, '/')) satisfies PageServerLoad;

export const actions = {
	default: async ({ locals, url }) => {
		forgetUser((await locals.supabase.auth.getSession()).data.session?.access_token);
		await locals.supabase.auth.signOut();
		// After a deletion the phone is cleared the same way; the sign-in page then says the account is gone.
		redirect(303, url.searchParams.has('deleted') ? '/sign-in?deleted=1' : '/sign-in?signed_out=1');
	}
} satisfies Actions;
