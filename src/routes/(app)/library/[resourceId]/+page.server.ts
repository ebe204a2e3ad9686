import type { Actions, PageServerLoad } from './$types';
import { loadResource } from '$lib/library/load.server';
import {
	attach,
	detachAttachment,
	editResource,
	removeResource,
	replaceFile,
	setFlags
} from '$lib/library/actions.server';

export const load = (async (event) => loadResource(event)) satisfies PageServerLoad;
export const actions = {
	replace: replaceFile,
	edit: editResource,
	flags: setFlags,
	attach,
	detach: detachAttachment,
	delete: removeResource
} satisfies Actions;
