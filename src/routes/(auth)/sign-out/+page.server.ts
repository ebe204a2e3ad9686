import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { forgetUser } from '$lib/server/user-cache';

export const load = (() => redirect(303, '/')) satisfies PageServerLoad;

export const actions = {
	default: async ({ locals }) => {
		forgetUser((await locals.supabase.auth.getSession()).data.session?.access_token);
		await locals.supabase.auth.signOut();
		redirect(303, '/sign-in?signed_out=1');
	}
} satisfies Actions;
