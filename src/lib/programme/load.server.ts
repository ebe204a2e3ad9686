// What a figures page loads: the period from its GET form, then the figures
// in one call. A refused period is said on the page (what was typed stays);
// a refused person (not an officer, not the space's facilitator, a space
// deleted meanwhile) gets the reason in words and no figures.
import type { Client } from '$lib/supabase/types';
import { programmeFigures, type FiguresResult } from './queries';
import { readPeriod, today } from './period';

export interface FiguresPageData {
	result: FiguresResult | null;
	period: {
		from: string;
		to: string;
		typed: { from: string; to: string };
		problem: string | null;
		today: string;
	};
	/** Why there are no figures for this person (translated), or null. */
	refusal: string | null;
}

export async function loadFigures(
	supabase: Client,
	url: URL,
	space: string | null
): Promise<FiguresPageData> {
	const read = readPeriod(url.searchParams);
	const period = { from: read.from, to: read.to, typed: read.typed, problem: read.problem, today: today() };
	if (read.problem) return { result: null, period, refusal: null };
	const answer = await programmeFigures(supabase, { space, from: read.from, to: read.to });
	if (answer.figures) return { result: answer.figures, period, refusal: null };
	if (answer.status === 404) return { result: null, period, refusal: answer.problem };
	return { result: null, period: { ...period, problem: answer.problem }, refusal: null };
}

/**
 * A CSV of figures for the same period and person as the page: the file, or
 * the reason in words (text/plain) with 400 (the period) or 404 (the person).
 */
export async function figuresCsvResponse(
	supabase: Client,
	url: URL,
	space: string | null,
	write: (result: FiguresResult) => { body: string; name: string }
): Promise<Response> {
	const read = readPeriod(url.searchParams);
	const refused = (status: number, message: string) =>
		new Response(message, {
			status,
			headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'private, no-store' }
		});
	if (read.problem) return refused(400, read.problem);
	const answer = await programmeFigures(supabase, { space, from: read.from, to: read.to });
	if (!answer.figures) return refused(answer.status, answer.problem);
	const { body, name } = write(answer.figures);
	return new Response(body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${name}"`,
			'cache-control': 'private, no-store'
		}
	});
}
