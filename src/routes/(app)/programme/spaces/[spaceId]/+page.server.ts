import type { PageServerLoad } from './$types';
import { isUuid } from '$lib/ui/form';
import { m } from '$lib/paraglide/messages';
import { loadFigures } from '$lib/programme/load.server';
import { readPeriod, today } from '$lib/programme/period';

export const load = (async ({ locals, url, params }) => {
	if (!isUuid(params.spaceId)) {
		const period = readPeriod(new URLSearchParams());
		return {
			result: null,
			period: { ...period, today: today() },
			refusal: m.programme_error_not_allowed(),
			spaceId: params.spaceId
		};
	}
	return { ...(await loadFigures(locals.supabase, url, params.spaceId)), spaceId: params.spaceId };
}) satisfies PageServerLoad;
