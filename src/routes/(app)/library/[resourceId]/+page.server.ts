import type { Actions, PageServerLoad } from './$types';
import { loadResource } from '$lib/library/load.server';
import { resourceActions } from '$lib/library/actions.server';

export const load = (async (event) => loadResource(event)) satisfies PageServerLoad;
export const actions = resourceActions satisfies Actions;
