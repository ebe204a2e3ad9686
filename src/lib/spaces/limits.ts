// What a space's name, objective and description may hold (the database checks the same lengths).

export const SPACE_LIMITS = { name: 120, objective: 500, description: 2000 };
