// Lengths for a password, a name and an organisation (the database checks the names).

export const PASSWORD_MIN = 8;
export const DISPLAY_NAME_MAX = 80;
export const ORGANISATION_MAX = 120;
