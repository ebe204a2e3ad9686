import type { RequestHandler } from './$types';
import { spaceFiguresCsv } from '$lib/programme/space-csv.server';

export const GET: RequestHandler = ({ locals, url, params }) =>
	spaceFiguresCsv(locals.supabase, url, params.spaceId);
