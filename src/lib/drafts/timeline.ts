// The months an activity plan spans, for its timeline (months across).
import type { Activity } from './types';

export type Month = { key: string; year: number; month: number };

const monthIndex = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;

/** The months from the earliest start to the latest end, at most `max`. */
export function planMonths(activities: Activity[], max = 24): Month[] {
	const dates = activities.flatMap((a) => [a.start, a.end]).filter(Boolean);
	if (!dates.length) return [];
	const first = Math.min(...dates.map(monthIndex));
	const last = Math.min(Math.max(...dates.map(monthIndex)), first + max - 1);
	const months: Month[] = [];
	for (let i = first; i <= last; i++) {
		const year = Math.floor(i / 12);
		const month = (i % 12) + 1;
		months.push({ key: `${year}-${String(month).padStart(2, '0')}`, year, month });
	}
	return months;
}

/** The columns (1-based, inclusive) an activity covers in `months`; null without dates. */
export function activitySpan(activity: Activity, months: Month[]): [number, number] | null {
	if (!months.length || (!activity.start && !activity.end)) return null;
	const first = monthIndex(`${months[0].key}-01`);
	const start = monthIndex(activity.start || activity.end) - first;
	const end = monthIndex(activity.end || activity.start) - first;
	const from = Math.max(0, Math.min(start, end));
	const to = Math.min(months.length - 1, Math.max(start, end));
	return from > months.length - 1 || to < 0 ? null : [from + 1, to + 1];
}
