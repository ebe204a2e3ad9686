// A space's safety page: the confidential line for every member (raise a
// concern, named or anonymous; read the answers; an anonymous sender with her
// reference), and for moderators and facilitators the ways to the moderation
// queue, the concerns received and the audit log.
import type { Actions, PageServerLoad } from './$types';
import { readId, readString, readText, refuse, type Problems } from '$lib/ui/form';
import { CONCERN_MAX } from '$lib/concerns/limits';
import {
	addToConcern,
	concernByReference,
	myConcerns,
	openConcernCount,
	raiseConcern
} from '$lib/concerns/queries';
import { concernProblem } from '$lib/concerns/problems';
import { m } from '$lib/paraglide/messages';

export const load = (async ({ locals, params }) => {
	const [mine, openCount] = await Promise.all([
		myConcerns(locals.supabase, params.spaceId),
		openConcernCount(locals.supabase, params.spaceId)
	]);
	return { mine, openCount };
}) satisfies PageServerLoad;

const readReference = (form: FormData) => readString(form, 'reference').trim().slice(0, 40);

export const actions = {
	raise: async ({ request, locals, params }) => {
		const form = await request.formData();
		const problems: Problems = {};
		const body = readText(form, 'body', problems, { max: CONCERN_MAX, required: true });
		const anonymous = form.get('anonymous') === '1';
		const id = readId(form);
		if (Object.keys(problems).length) return refuse(400, problems, { action: 'raise', body, anonymous, id });
		const { reference, error } = await raiseConcern(locals.supabase, id, params.spaceId, body, anonymous);
		if (error) return refuse(400, concernProblem(error), { action: 'raise', body, anonymous, id });
		return { action: 'raise', sent: true, reference };
	},
	lookup: async ({ request, locals }) => {
		const reference = readReference(await request.formData());
		const concern = reference ? await concernByReference(locals.supabase, reference) : null;
		if (!concern)
			return refuse(404, { reference: m.concern_error_reference() }, { action: 'lookup', reference });
		return { action: 'lookup', reference, concern };
	},
	add: async ({ request, locals }) => {
		const form = await request.formData();
		const problems: Problems = {};
		const body = readText(form, 'body', problems, { max: CONCERN_MAX, required: true });
		const reference = readReference(form);
		const concernId = readString(form, 'concern_id');
		const id = readId(form);
		const kept = { action: 'add', body, id, concernId, reference } as const;
		if (Object.keys(problems).length) return refuse(400, problems, kept);
		const { error } = await addToConcern(
			locals.supabase,
			id,
			reference ? { reference } : { concernId },
			body
		);
		if (error) return refuse(400, concernProblem(error), kept);
		// An anonymous sender sees her concern again (she reached it with her reference).
		const concern = reference ? await concernByReference(locals.supabase, reference) : null;
		return { action: 'add', added: true, reference, concern };
	}
} satisfies Actions;
