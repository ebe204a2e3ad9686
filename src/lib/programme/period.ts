// The period a figures page is for, read from its plain GET form (?from=&to=,
// YYYY-MM-DD) and checked with the database's own limits (programme_figures()
// refuses the same periods with its own words): both dates or neither, not
// reversed, not starting in the future, two years at most. An end after today
// is cut at today, and the page says so. Days are those of Vietnam and
// Cambodia (UTC+7), as the database counts them.
import { m } from '$lib/paraglide/messages';

const PERIOD_MAX_DAYS = 731;
const ZONE_OFFSET_MS = 7 * 60 * 60 * 1000;
const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

/** Today in Asia/Ho_Chi_Minh, YYYY-MM-DD. */
export const today = (now = Date.now()) => new Date(now + ZONE_OFFSET_MS).toISOString().slice(0, 10);

const isDay = (value: string) =>
	dayPattern.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;

const daysBetween = (from: string, to: string) =>
	Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** The default: the first of the month eleven months ago, to today. */
function defaultPeriod(now = Date.now()) {
	const to = today(now);
	const [year, month] = to.split('-').map(Number);
	const start = new Date(Date.UTC(year, month - 1 - 11, 1));
	return { from: start.toISOString().slice(0, 10), to };
}

export interface Period {
	from: string;
	to: string;
	/** What was typed, to put back in the form. */
	typed: { from: string; to: string };
	/** Translated; the figures are not asked for when there is one. */
	problem: string | null;
}

export function readPeriod(params: URLSearchParams, now = Date.now()): Period {
	const typed = { from: (params.get('from') ?? '').trim(), to: (params.get('to') ?? '').trim() };
	const fallback = defaultPeriod(now);
	const refuse = (problem: string): Period => ({ ...fallback, typed, problem });
	if (!typed.from && !typed.to) return { ...fallback, typed: fallback, problem: null };
	if (!typed.from || !typed.to) return refuse(m.programme_period_empty());
	if (!isDay(typed.from) || !isDay(typed.to)) return refuse(m.programme_period_invalid());
	if (typed.from > today(now)) return refuse(m.programme_period_future());
	if (typed.from > typed.to) return refuse(m.programme_period_reversed());
	const to = typed.to > today(now) ? today(now) : typed.to;
	if (daysBetween(typed.from, to) > PERIOD_MAX_DAYS) return refuse(m.programme_period_too_long());
	return { from: typed.from, to, typed, problem: null };
}

/** The query string of a period, for links and CSV downloads of the same figures. */
export const periodQuery = (period: { from: string; to: string }) =>
	`?${new URLSearchParams({ from: period.from, to: period.to })}`;
