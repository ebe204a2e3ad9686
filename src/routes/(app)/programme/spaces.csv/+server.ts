import type { RequestHandler } from './$types';
import { figuresCsvResponse } from '$lib/programme/load.server';
import { csvName, spacesCsv } from '$lib/programme/csv';

// Every space's main figures, one row each (programme officers).
export const GET: RequestHandler = ({ locals, url }) =>
	figuresCsvResponse(locals.supabase, url, null, (result) => ({
		body: spacesCsv(result),
		name: csvName('spaces-figures', result.period)
	}));
