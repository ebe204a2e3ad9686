// The moderation capability's limits and choices, the same as the schema's
// (supabase/schemas/moderation.sql): the forms show and check them first.
export const REPORT_REASONS = ['harassment', 'personal_info', 'misleading', 'spam', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];
export const REPORT_NOTE_MAX = 500;
export const DECISION_REASON_MAX = 1000;
/** How long a moderator may mute someone, in days. */
export const MUTE_DAYS = [1, 7, 30] as const;
export const HIDE_AFTER_MIN = 2;
export const HIDE_AFTER_MAX = 20;
