// The confidential line's limits, the same as the schema's (supabase/schemas/concerns.sql).
export const CONCERN_MAX = 4000;
export const CONCERN_STATUSES = ['received', 'in_review', 'closed'] as const;
export type ConcernStatus = (typeof CONCERN_STATUSES)[number];
