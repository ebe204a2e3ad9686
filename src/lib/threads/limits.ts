// What a thread and a post may hold, and how many come per page (the database checks the same lengths).

export const TITLE_MAX = 200;
export const BODY_MAX = 10_000;
export const PAGE_SIZE = 30;
