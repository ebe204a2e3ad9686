import type { RequestHandler } from './$types';
import { figuresCsvResponse } from '$lib/programme/load.server';
import { csvName, figuresCsv } from '$lib/programme/csv';

// The network's figures (programme officers), for the period in the query.
export const GET: RequestHandler = ({ locals, url }) =>
	figuresCsvResponse(locals.supabase, url, null, (result) => ({
		body: figuresCsv(result, result.network ?? {}, { network: true }),
		name: csvName('network-figures', result.period)
	}));
