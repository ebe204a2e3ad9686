// What a dialogue, a guest's details and an agreed action may hold (the database checks the same lengths).

export const PURPOSE_MAX = 2000;
export const AGENDA_ITEM_MAX = 300;
export const AGENDA_ITEMS_MAX = 30;
export const VENUE_MAX = 200;
export const ORGANISATION_MAX = 120;
export const POSITION_MAX = 120;
export const ACTION_MAX = 1000;
export const SUPPORTING_MAX = 300;
export const UPDATE_MAX = 2000;
