import { TOPICS } from '$lib/vocabulary';
import { readChoice, readId, readText, type Problems } from '$lib/ui/form';
import { BODY_MAX, TITLE_MAX } from './limits';

export function readNewThread(form: FormData) {
	const problems: Problems = {};
	const values = {
		id: readId(form),
		title: readText(form, 'title', problems, { required: true, max: TITLE_MAX }),
		topic: readChoice(form, 'topic', TOPICS, 'other'),
		body: readText(form, 'body', problems, { required: true, max: BODY_MAX })
	};
	return { values, problems, ok: Object.keys(problems).length === 0 };
}

export function readBody(form: FormData) {
	const problems: Problems = {};
	const body = readText(form, 'body', problems, { required: true, max: BODY_MAX });
	return { body, id: readId(form), problems, ok: Object.keys(problems).length === 0 };
}
