// The moderation queue of a space: reported posts its moderators may decide on
// (facilitators, leaders, deputies; for a guest's dialogue post, its conveners),
// and for facilitators the space's settings (how many people hide a post, the
// new-account limits).
import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { isModerator } from '$lib/vocabulary';
import { readChoice, readString, readText, refuse, type Problems } from '$lib/ui/form';
import { DECISION_REASON_MAX, HIDE_AFTER_MAX, HIDE_AFTER_MIN, MUTE_DAYS } from '$lib/moderation/limits';
import {
	liftLimits,
	moderatePost,
	moderationQueue,
	saveSpaceSafety,
	spaceSafetySettings
} from '$lib/moderation/queries';
import { moderationProblem } from '$lib/moderation/problems';
import { m } from '$lib/paraglide/messages';

export const load = (async ({ locals, params, parent }) => {
	const [{ space }, queue, settings] = await Promise.all([
		parent(),
		moderationQueue(locals.supabase, params.spaceId),
		spaceSafetySettings(locals.supabase, params.spaceId)
	]);
	if (!isModerator(space.myRole)) error(404, 'Not found');
	return { queue, settings };
}) satisfies PageServerLoad;

export const actions = {
	decide: async ({ request, locals }) => {
		const form = await request.formData();
		const problems: Problems = {};
		const postId = readString(form, 'post_id');
		const keep = readChoice(form, 'post', ['keep', 'remove'] as const, 'keep') === 'keep';
		const person = readChoice(form, 'person', ['none', 'warn', 'mute'] as const, 'none');
		const days = Number(readString(form, 'days'));
		const muteDays = person === 'mute' ? ((MUTE_DAYS as readonly number[]).includes(days) ? days : 7) : null;
		const reason = readText(form, 'reason', problems, {
			max: DECISION_REASON_MAX,
			required: !keep || person !== 'none',
			requiredMessage: m.moderation_error_reason_required()
		});
		const kept = { action: 'decide', postId, reason, keep, person } as const;
		if (Object.keys(problems).length) return refuse(400, problems, kept);
		const { error: failed } = await moderatePost(locals.supabase, { postId, keep, person, muteDays, reason });
		if (failed) return refuse(400, moderationProblem(failed), kept);
		return { action: 'decide', decided: true };
	},
	lift: async ({ request, locals, params }) => {
		const userId = readString(await request.formData(), 'user_id');
		const { error: failed } = await liftLimits(locals.supabase, params.spaceId, userId);
		if (failed) return refuse(400, moderationProblem(failed), { action: 'lift' });
		return { action: 'lift', lifted: true };
	},
	settings: async ({ request, locals, params }) => {
		const form = await request.formData();
		const hideAfter = Number(readString(form, 'hide_after'));
		const limits = form.get('new_account_limits') === '1';
		if (!Number.isInteger(hideAfter) || hideAfter < HIDE_AFTER_MIN || hideAfter > HIDE_AFTER_MAX) {
			return refuse(
				400,
				{ hide_after: m.moderation_error_hide_after({ min: HIDE_AFTER_MIN, max: HIDE_AFTER_MAX }) },
				{ action: 'settings' }
			);
		}
		const { data, error: failed } = await saveSpaceSafety(locals.supabase, params.spaceId, hideAfter, limits);
		if (failed || !data?.length) return refuse(403, moderationProblem(failed), { action: 'settings' });
		return { action: 'settings', saved: true };
	}
} satisfies Actions;
