// How many phones one person may register for notifications (the database checks the same).

/** Phones per person (20261205000300_push_limits.sql keeps the ones most recently turned on). */
export const PHONES_MAX = 10;
