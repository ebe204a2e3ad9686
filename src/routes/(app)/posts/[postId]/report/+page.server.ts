// Report a post, or mute or block its author for myself: one page per post,
// linked from every post (Post.svelte). Works without JavaScript.
import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { isUuid, readChoice, readId, readText, refuse, type Problems } from '$lib/ui/form';
import { mutedOrBlocked, readBack } from '$lib/moderation/report-page';
import { postForReport, reportPost, setPersonFilter } from '$lib/moderation/queries';
import { REPORT_NOTE_MAX, REPORT_REASONS } from '$lib/moderation/limits';
import { moderationProblem } from '$lib/moderation/problems';
import { m } from '$lib/paraglide/messages';

export const load = (async ({ locals, params, url }) => {
	const user = await locals.getUser();
	const post = isUuid(params.postId) ? await postForReport(locals.supabase, params.postId) : null;
	if (!user || !post) error(404, 'Not found');
	const filters = post.authorId
		? await mutedOrBlocked(locals.supabase, post.authorId)
		: { mute: false, block: false };
	return { post, mine: post.authorId === user.id, filters, back: readBack(url, post) };
}) satisfies PageServerLoad;

export const actions = {
	report: async ({ request, locals, params }) => {
		const form = await request.formData();
		const problems: Problems = {};
		const reason = readChoice(form, 'reason', REPORT_REASONS, 'other');
		const note = readText(form, 'note', problems, {
			max: REPORT_NOTE_MAX,
			required: reason === 'other',
			requiredMessage: m.report_error_note_required()
		});
		const id = readId(form);
		if (!form.get('reason')) problems.reason = m.report_error_choose_reason();
		if (Object.keys(problems).length) return refuse(400, problems, { action: 'report', reason, note, id });
		const { data, error: failed } = await reportPost(locals.supabase, id, params.postId, reason, note);
		if (failed) return refuse(400, moderationProblem(failed), { action: 'report', reason, note, id });
		return { action: 'report', reported: true, hidden: !!(data as { hidden?: boolean } | null)?.hidden };
	},
	filter: async ({ request, locals, params }) => {
		const form = await request.formData();
		const kind = readChoice(form, 'kind', ['mute', 'block'] as const, 'mute');
		const on = form.get('on') === '1';
		const post = await postForReport(locals.supabase, params.postId);
		if (!post?.authorId) return refuse(404, m.error_not_allowed(), { action: 'filter' });
		const { error: failed } = await setPersonFilter(locals.supabase, post.authorId, kind, on);
		if (failed) return refuse(400, moderationProblem(failed), { action: 'filter' });
		return { action: 'filter', kind, on };
	}
} satisfies Actions;
