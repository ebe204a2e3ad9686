// What a draft, its comments, versions and budget cells may hold (the database checks the same).

/** Limits the editor and the forms share. */
export const DRAFT_TITLE_MAX = 200;
export const COMMENT_MAX = 2000;
export const VERSION_NAME_MAX = 120;
export const CELL_MAX = 200;
/** One logged update (the schema's check), raw bytes. */
export const UPDATE_MAX_BYTES = 131072;
