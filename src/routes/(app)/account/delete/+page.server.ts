// Deleting my account. Her own session confirms it: her password again (checked
// on a client that keeps no session, and counted by the sign-in throttle like a
// sign-in), then erase_my_account() as herself, which erases her personal data
// and records the confirmation. Only then the one module allowed to delete an
// auth account (the secret key: $lib/account/delete-user.server) removes it,
// which ends every session of hers on every phone. She lands on a page that
// clears this phone as signing out does.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { env as privateEnv } from '$env/dynamic/private';
import { env as publicEnv } from '$env/dynamic/public';
import { readChoice, readString, refuse, type Problems } from '$lib/ui/form';
import { eraseMyAccount, removeMyExports, spacesToHandOver } from '$lib/account/queries';
import { accountProblem } from '$lib/account/problems';
import { deleteConfirmedAccount, deletionConfig } from '$lib/account/delete-user.server';
import { checkStep, countFailure } from '$lib/auth/throttle.server';
import { sessionlessClient } from '$lib/server/supabase';
import { forgetUser } from '$lib/server/user-cache';
import { m } from '$lib/paraglide/messages';

export const load = (async ({ locals }) => {
	const [handOver, user] = await Promise.all([spacesToHandOver(locals.supabase), locals.getUser()]);
	return {
		handOver,
		configured: !!deletionConfig({ ...privateEnv, ...publicEnv }),
		// A phone-only account has no password to confirm with (sign-in by SMS code only).
		phoneOnly: !!user && !user.email
	};
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const { request, locals, fetch, cookies } = event;
		const form = await request.formData();
		const posts = readChoice(form, 'posts', ['keep', 'delete'] as const, 'keep');
		const kept = { posts };
		const user = await locals.getUser();
		if (!user) return refuse(401, m.signed_out(), kept);
		if (!user.email) return refuse(400, m.account_error_phone_only(), kept);
		const config = deletionConfig({ ...privateEnv, ...publicEnv });
		if (!config) return refuse(503, m.account_error_not_configured(), kept);
		const problems: Problems = {};
		if (form.get('understood') !== 'yes') problems.understood = m.account_error_understood();
		const password = readString(form, 'password');
		if (!password) problems.password = m.error_required();
		if (Object.keys(problems).length) return refuse(400, problems, kept);

		const gate = await checkStep(event, 'password', user.email);
		if (gate.paused) return refuse(429, gate.paused, kept);
		const checker = sessionlessClient(fetch);
		const { data: again, error: wrong } = await checker.auth.signInWithPassword({
			email: user.email,
			password
		});
		if (wrong || again.user?.id !== user.id) {
			await countFailure(event, 'password', user.email);
			return refuse(400, { password: m.account_error_password() }, kept);
		}
		await checker.auth.signOut({ scope: 'local' });

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
