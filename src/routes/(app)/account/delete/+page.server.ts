// Deleting my account. Her own session confirms it: her password again, or a
// code sent by SMS for an account that signs in by phone only
// ($lib/account/confirm.server), then erase_my_account() as herself, which erases her personal data
// and records the confirmation. Only then the one module allowed to delete an
// auth account (the secret key: $lib/account/delete-user.server) removes it,
// which ends every session of hers on every phone. She lands on a page that
// clears this phone as signing out does.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { env as privateEnv } from '$env/dynamic/private';
import { env as publicEnv } from '$env/dynamic/public';
import { readChoice, refuse } from '$lib/ui/form';
import { eraseMyAccount, removeMyExports, spacesToHandOver } from '$lib/account/queries';
import { accountProblem } from '$lib/account/problems';
import { deleteConfirmedAccount, deletionConfig } from '$lib/account/delete-user.server';
import { confirmIdentity, phoneOnlyNumber, sendDeletionCode } from '$lib/account/confirm.server';
import { forgetUser } from '$lib/server/user-cache';
import { m } from '$lib/paraglide/messages';

export const load = (async ({ locals }) => {
	const [handOver, user] = await Promise.all([spacesToHandOver(locals.supabase), locals.getUser()]);
	return {
		handOver,
		configured: !!deletionConfig({ ...privateEnv, ...publicEnv }),
		// A phone-only account has no password: it confirms with a code sent to its phone.
		phone: user ? phoneOnlyNumber(user) : null
	};
}) satisfies PageServerLoad;

export const actions = {
	/** Phone-only: sends the confirmation code by SMS to the account's own number. */
	code: async (event) => {
		const form = await event.request.formData();
		const kept = { posts: readChoice(form, 'posts', ['keep', 'delete'] as const, 'keep') };
		const user = await event.locals.getUser();
		if (!user) return refuse(401, m.signed_out(), kept);
		const problem = await sendDeletionCode(event, user);
		if (problem) return refuse(429, problem, kept);
		return { ...kept, codeSent: true };
	},
	delete: async (event) => {
		const { request, locals, cookies } = event;
		const form = await request.formData();
		const posts = readChoice(form, 'posts', ['keep', 'delete'] as const, 'keep');
		const user = await locals.getUser();
		// A phone-only person who typed a code had one sent: the code field stays on the page.
		const kept = { posts, codeSent: !!user && !!phoneOnlyNumber(user) };
		if (!user) return refuse(401, m.signed_out(), kept);
		const config = deletionConfig({ ...privateEnv, ...publicEnv });
		if (!config) return refuse(503, m.account_error_not_configured(), kept);
		if (form.get('understood') !== 'yes')
			return refuse(400, { understood: m.account_error_understood() }, kept);
		const unconfirmed = await confirmIdentity(event, user, form);
		if (unconfirmed) return refuse(unconfirmed.status, unconfirmed.problems, kept);

		await removeMyExports(locals.supabase, user.id);
		const { error: refused } = await eraseMyAccount(locals.supabase, posts);
		if (refused) return refuse(409, accountProblem(refused), kept);
		const deleted = await deleteConfirmedAccount(config, user.id);
		if (deleted !== 'deleted') return refuse(500, m.account_error_delete_failed(), kept);

		// The account and its sessions are gone; this phone's cookies go too.
		forgetUser((await locals.supabase.auth.getSession()).data.session?.access_token);
		await locals.supabase.auth.signOut({ scope: 'local' }).catch(() => undefined);
		for (const { name } of cookies.getAll()) {
			if (/^sb-.+-auth-token(\.\d+)?$/.test(name)) cookies.delete(name, { path: '/' });
		}
		redirect(303, '/account-deleted');
	}
} satisfies Actions;
