import type { Actions, PageServerLoad } from './$types';
import { loadLibrary } from '$lib/library/load.server';
import { createResource } from '$lib/library/actions.server';

export const load = (async (event) => loadLibrary(event)) satisfies PageServerLoad;
export const actions = { default: createResource } satisfies Actions;
