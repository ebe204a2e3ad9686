// One space's figures as CSV (officers, and the space's facilitators): the
// same file from the programme page and from the space's own Figures page.
import { isUuid } from '$lib/ui/form';
import { m } from '$lib/paraglide/messages';
import type { Client } from '$lib/supabase/types';
import { figuresCsvResponse } from './load.server';
import { csvName, figuresCsv } from './csv';

export function spaceFiguresCsv(supabase: Client, url: URL, spaceId: string): Promise<Response> | Response {
	if (!isUuid(spaceId))
		return new Response(m.programme_error_not_allowed(), {
			status: 404,
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	return figuresCsvResponse(supabase, url, spaceId, (result) => ({
		body: figuresCsv(result, result.spaces[0]?.figures ?? {}, { network: false }),
		name: csvName(`space-figures-${spaceId.slice(0, 8)}`, result.period)
	}));
}
