import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { refuse } from '$lib/ui/form';
import { vapidPublicKey } from '$lib/push/config.server';
import {
	chooseSpaces,
	followEverything,
	forgetPhone,
	loadPushSettings,
	savePhone,
	saveQuietHours,
	saveSensitive
} from '$lib/push/queries';
import { readIds, readPhone, readQuietForm } from '$lib/push/form';
import { readDataSaver, setDataSaver } from '$lib/data-saver/cookie';
import { saveDataSaver } from '$lib/data-saver/queries';
import type { Actions, PageServerLoad } from './$types';

const signedIn = async (locals: App.Locals) => {
	const user = await locals.getUser();
	if (!user) error(401, 'Sign in first');
	return user;
};

export const load = (async ({ locals, cookies }) => {
	const user = await signedIn(locals);
	const settings = await loadPushSettings(locals.supabase, user.id);
	// The choice follows the person to a new phone (the cookie is what pages read).
	if (settings.dataSaver !== readDataSaver(cookies)) setDataSaver(cookies, settings.dataSaver);
	return { settings, vapidPublicKey: vapidPublicKey() };
}) satisfies PageServerLoad;

export const actions = {
	subscribe: async ({ request, locals }) => {
		await signedIn(locals);
		const { phone, ok } = readPhone(await request.formData());
		if (!ok) return refuse(400, m.push_failed(), {});
		const { refused } = await savePhone(locals.supabase, phone);
		if (refused === 'service') return refuse(400, m.push_error_service(), {});
		if (refused === 'taken') return refuse(409, m.push_error_taken(), {});
		if (refused) return refuse(400, m.push_failed(), {});
		// Like a Facebook group: on means on for everything she is in, until she narrows it.
		await followEverything(locals.supabase);
		return { done: 'phone' as const };
	},
	unsubscribe: async ({ request, locals }) => {
		await signedIn(locals);
		const { phone } = readPhone(await request.formData());
		await forgetPhone(locals.supabase, phone.endpoint);
		return { done: 'phone' as const };
	},
	spaces: async ({ request, locals }) => {
		const user = await signedIn(locals);
		const { error: refused } = await chooseSpaces(
			locals.supabase,
			user.id,
			readIds(await request.formData(), 'space')
		);
		if (refused) return refuse(400, m.error_generic(), { section: 'spaces' as const });
		return { done: 'spaces' as const };
	},
	quiet: async ({ request, locals }) => {
		const user = await signedIn(locals);
		const { values, problems, ok } = readQuietForm(await request.formData());
		if (!ok) return refuse(400, problems, { section: 'quiet' as const, values });
		const { error: refused } = await saveQuietHours(locals.supabase, user.id, values);
		if (refused) return refuse(400, { zone: m.push_error_zone() }, { section: 'quiet' as const, values });
		return { done: 'quiet' as const };
	},
	sensitive: async ({ request, locals }) => {
		await signedIn(locals);
		const form = await request.formData();
		const marked = new Set(readIds(form, 'sensitive'));
		// Every space the form listed, ticked or not; the spaces' update policy keeps it to facilitators.
		const { error: refused } = await saveSensitive(
			locals.supabase,
			readIds(form, 'space').map((id) => ({ id, sensitive: marked.has(id) }))
		);
		if (refused) return refuse(400, m.error_generic(), { section: 'sensitive' as const });
		return { done: 'sensitive' as const };
	},
	saver: async ({ request, locals, cookies }) => {
		const user = await signedIn(locals);
		const on = (await request.formData()).get('saver') === 'on';
		const { error: refused } = await saveDataSaver(locals.supabase, user.id, on);
		if (refused) return refuse(400, m.error_generic(), { section: 'saver' as const });
		setDataSaver(cookies, on);
		return { done: 'saver' as const, saver: on };
	}
} satisfies Actions;
