// The meetings capability's input limits: the same numbers as the checks in
// supabase/schemas/meetings.sql, so the forms say what the database enforces.
export const TOPIC_MAX = 200;
export const VENUE_MAX = 200;
export const RESOURCE_NOTE_MAX = 200;
export const MINUTES_MAX = 5000;
export const AGENDA_ITEM_MAX = 200;
export const AGENDA_ITEMS_MAX = 20;
/** Agenda rows on the planning form (a page without JavaScript cannot add rows); more are added on the meeting page. */
export const AGENDA_ROWS = 6;
export const DURATION_MIN = 15;
export const DURATION_MAX = 720;
export const DECISION_MAX = 500;
export const PARTICIPANT_NAME_MAX = 120;
export const PARTICIPANTS_MAX = 500;
export const ORGANISATION_MAX = 120;
export const POSITION_MAX = 120;
export const QUESTION_MAX = 300;
export const OPTION_MAX = 200;
export const OPTIONS_MIN = 2;
/** Option rows on the poll form. */
export const OPTION_ROWS = 6;
export const ELECTION_TITLE_MAX = 200;
export const SEATS_MAX = 5;
export const EVALUATION_TITLE_MAX = 200;
export const EVALUATION_QUESTION_ROWS = 6;
export const CHOICES_MAX = 10;
export const ANSWER_TEXT_MAX = 500;
/** No meeting for longer than this (days): leaders see a hint. The clubs meet every 4-6 weeks. */
export const CADENCE_DAYS = 42;

/** 0, 1, … n-1: the rows of a form that works without JavaScript. */
export const range = (n: number) => [...Array(n).keys()];
