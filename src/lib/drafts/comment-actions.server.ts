// The comment forms of a draft's page: comment or reply, resolve, reopen.
import type { RequestEvent } from '@sveltejs/kit';
import { readString, refuse } from '$lib/ui/form';
import { addComment, setCommentResolved } from './queries';
import { readCommentForm } from './form';
import { draftProblem } from './problems';

type Event = RequestEvent<{ spaceId: string; draftId: string }>;

export async function comment({ request, locals, params }: Event) {
	const { values, problems, ok } = readCommentForm(await request.formData());
	if (!ok) return refuse(400, { [`comment:${values.section}`]: problems.body }, { values });
	const user = await locals.getUser();
	const { error } = await addComment(locals.supabase, {
		id: values.id,
		draftId: params.draftId,
		sectionId: values.section,
		parentId: values.parent,
		body: values.body,
		userId: user?.id ?? ''
	});
	if (error) return refuse(400, { [`comment:${values.section}`]: draftProblem(error) }, { values });
	return { commented: values.id };
}

export const resolve =
	(resolved: boolean) =>
	async ({ request, locals }: Event) => {
		const id = readString(await request.formData(), 'comment');
		const { data, error } = await setCommentResolved(locals.supabase, id, resolved);
		if (error || !data?.length) return refuse(400, draftProblem(error), {});
		return { resolved };
	};
